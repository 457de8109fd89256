'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, compilePattern } = require('../lib');

describe('Router.url', () => {
  const router = () =>
    new Router()
      .get('/users/:id', 'user', { name: 'user' })
      .get('/files/*path', 'files', { name: 'files' })
      .get('/archive/:year(\\d{4})/:month?', 'archive', { name: 'archive' });

  it('builds the path of a named route', () => {
    assert.equal(router().url('user', { id: 42 }), '/users/42');
  });

  it('encodes parameter values and appends a query string', () => {
    assert.equal(router().url('user', { id: 'a b/c' }, { tab: 'posts' }), '/users/a%20b%2Fc?tab=posts');
  });

  it('keeps wildcard slashes and leaves out optional parameters', () => {
    assert.equal(router().url('files', { path: 'css/site.css' }), '/files/css/site.css');
    assert.equal(router().url('archive', { year: 2024 }), '/archive/2024');
  });

  it('rejects unknown names, missing and invalid parameters', () => {
    assert.throws(() => router().url('nope'), (err) => err.code === 'ERR_UNKNOWN_ROUTE');
    assert.throws(() => router().url('user', {}), (err) => err.code === 'ERR_MISSING_PARAM');
    assert.throws(() => router().url('archive', { year: '24' }), (err) => err.code === 'ERR_INVALID_PARAM');
    assert.throws(() => router().url('user', { id: '..' }), (err) => err.code === 'ERR_INVALID_PARAM');
    assert.throws(() => router().url('files', { path: 'a/../b' }), (err) => err.code === 'ERR_INVALID_PARAM');
  });

  it('rejects duplicate names', () => {
    assert.throws(() => router().get('/other', 'x', { name: 'user' }), (err) => err.code === 'ERR_DUPLICATE_NAME');
  });

  it('round-trips through match', () => {
    const r = router();
    const url = r.url('user', { id: 'ä ö&x' });
    assert.equal(url, '/users/%C3%A4%20%C3%B6%26x');
    assert.deepEqual(r.match('GET', url).params, { id: 'ä ö&x' });
  });
});

describe('CompiledPattern.build', () => {
  it('builds static and trailing-slash patterns', () => {
    assert.equal(compilePattern('/').build(), '/');
    assert.equal(compilePattern('/docs/', { strict: true }).build(), '/docs/');
  });
});
