'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, matchPath } = require('../../lib');

describe('optional parameters left out', () => {
  it('matches a route whose only optional parameter is absent', () => {
    const router = new Router().get('/posts/:page?', 'posts');
    const r = router.match('GET', '/posts');
    assert.equal(r.status, 200);
    assert.equal(r.handler, 'posts');
    assert.deepEqual(r.params, {});
    assert.equal(router.match('GET', '/posts/').status, 200);
  });

  it('matches with any number of trailing optional parameters left out', () => {
    const router = new Router().get('/archive/:year?/:month?/:day?', 'archive');
    assert.deepEqual(router.match('GET', '/archive').params, {});
    assert.deepEqual(router.match('GET', '/archive/2024').params, { year: '2024' });
    assert.deepEqual(router.match('GET', '/archive/2024/05').params, { year: '2024', month: '05' });
    assert.deepEqual(router.match('GET', '/archive/2024/05/17').params, { year: '2024', month: '05', day: '17' });
    assert.equal(router.match('GET', '/archive/2024/05/17/x').status, 404);
  });

  it('works after required and constrained parameters', () => {
    assert.deepEqual(matchPath('/users/:id(\\d+)/:tab?', '/users/7'), { id: '7' });
    assert.deepEqual(matchPath('/users/:id(\\d+)/:tab?', '/users/7/posts'), { id: '7', tab: 'posts' });
    assert.equal(matchPath('/users/:id(\\d+)/:tab?', '/users'), null);
  });

  it('counts for 405 detection and HEAD', () => {
    const router = new Router().get('/feed/:format?', 'feed');
    assert.deepEqual(router.match('POST', '/feed'), { status: 405, path: '/feed', allowed: ['GET', 'HEAD'] });
    assert.equal(router.match('HEAD', '/feed').handler, 'feed');
  });

  it('still prefers a more specific route', () => {
    const router = new Router().get('/docs/:section?', 'docs').get('/docs/*rest', 'rest');
    assert.equal(router.match('GET', '/docs').handler, 'docs');
    assert.equal(router.match('GET', '/docs/a/b').handler, 'rest');
  });
});
