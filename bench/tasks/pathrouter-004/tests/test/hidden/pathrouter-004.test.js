'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router } = require('../../lib');

function router() {
  return new Router({ strict: true, redirectTrailingSlash: true })
    .get('/docs/', 'docs')
    .get('/about', 'about')
    .get('/users/:id', 'user')
    .post('/form', 'form')
    .put('/items/:id/', 'putItem')
    .get('/only-post', 'x-get-elsewhere')
    .post('/only-post/', 'onlyPost');
}

describe('redirectTrailingSlash option', () => {
  it('redirects GET and HEAD with 301 in both directions', () => {
    const r = router();
    const toSlash = r.match('GET', '/docs');
    assert.equal(toSlash.status, 301);
    assert.equal(toSlash.location, '/docs/');
    const fromSlash = r.match('GET', '/about/');
    assert.equal(fromSlash.status, 301);
    assert.equal(fromSlash.location, '/about');
    const head = r.match('HEAD', '/users/42/');
    assert.equal(head.status, 301);
    assert.equal(head.location, '/users/42');
    assert.equal(r.match('GET', '/docs/').status, 200);
  });

  it('uses 308 for other methods', () => {
    const post = router().match('POST', '/form/');
    assert.equal(post.status, 308);
    assert.equal(post.location, '/form');
    const put = router().match('PUT', '/items/9');
    assert.equal(put.status, 308);
    assert.equal(put.location, '/items/9/');
  });

  it('keeps the query string in the location', () => {
    const r = router().match('GET', '/docs?q=a%20b&tag=x&tag=y');
    assert.equal(r.status, 301);
    assert.equal(r.location, '/docs/?q=a%20b&tag=x&tag=y');
  });

  it('redirects to the normalised path', () => {
    const r = router().match('GET', '//docs/./intro/..');
    assert.equal(r.status, 200);
    const s = router().match('GET', '/users//7/');
    assert.equal(s.status, 301);
    assert.equal(s.location, '/users/7');
  });

  it('only redirects when the other spelling has a route for the method', () => {
    const r = router();
    assert.equal(r.match('GET', '/missing/').status, 404);
    assert.equal(r.match('GET', '/form/').status, 404);
    assert.equal(r.match('GET', '/').status, 404);
    const get = r.match('GET', '/only-post/');
    assert.equal(get.status, 405);
    assert.deepEqual(get.allowed, ['POST']);
    const post = r.match('POST', '/only-post');
    assert.equal(post.status, 405);
    assert.deepEqual(post.allowed, ['GET', 'HEAD']);
    assert.equal(r.match('DELETE', '/docs').status, 404);
    assert.equal(r.match('GET', '/docs').status, 301);
  });

  it('is validated like the other options and off unless enabled', () => {
    assert.throws(() => new Router({ strict: true, redirectTrailingSlash: 'yes' }), TypeError);
    const off = new Router({ strict: true }).get('/docs/', 'docs');
    assert.equal(off.match('GET', '/docs').status, 404);
    const loose = new Router({ redirectTrailingSlash: true }).get('/docs/', 'docs');
    assert.equal(loose.match('GET', '/docs').status, 200);
  });
});
