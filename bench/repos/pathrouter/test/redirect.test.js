'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router } = require('../lib');

describe('redirectTrailingSlash', () => {
  const router = () =>
    new Router({ strict: true, redirectTrailingSlash: true }).get('/docs/', 'docs').get('/about', 'about').post('/form', 'form');

  it('redirects GET to the path with the trailing slash toggled', () => {
    assert.deepEqual(router().match('GET', '/docs'), { status: 301, path: '/docs', location: '/docs/' });
    assert.deepEqual(router().match('GET', '/about/'), { status: 301, path: '/about/', location: '/about' });
  });

  it('uses 308 for methods other than GET and HEAD and keeps the query string', () => {
    assert.deepEqual(router().match('POST', '/form/?a=1'), { status: 308, path: '/form/', location: '/form?a=1' });
  });

  it('does not redirect when the other path does not exist either', () => {
    assert.equal(router().match('GET', '/missing/').status, 404);
  });

  it('does not redirect to a path that only exists for other methods', () => {
    assert.equal(router().match('GET', '/form/').status, 404);
  });

  it('is off by default', () => {
    const plain = new Router({ strict: true }).get('/docs/', 'docs');
    assert.equal(plain.match('GET', '/docs').status, 404);
  });
});
