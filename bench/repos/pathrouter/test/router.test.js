'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, createRouter, RouterError } = require('../lib');

function sampleRouter() {
  return new Router()
    .get('/', 'home')
    .get('/users', 'listUsers')
    .post('/users', 'createUser')
    .get('/users/me', 'me')
    .get('/users/:id', 'showUser')
    .delete('/users/:id', 'deleteUser')
    .get('/files/*path', 'files')
    .get('/posts/:page?', 'posts');
}

describe('Router.match', () => {
  it('matches the root', () => {
    const r = sampleRouter().match('GET', '/');
    assert.equal(r.status, 200);
    assert.equal(r.handler, 'home');
  });

  it('returns handler, params, parsed query and the route', () => {
    const r = sampleRouter().match('GET', '/users/42?tab=posts&sort=new');
    assert.equal(r.status, 200);
    assert.equal(r.handler, 'showUser');
    assert.deepEqual(r.params, { id: '42' });
    assert.deepEqual({ ...r.query }, { tab: 'posts', sort: 'new' });
    assert.deepEqual(r.route, { methods: ['GET'], pattern: '/users/:id', name: null });
  });

  it('prefers a static route over a parameter route regardless of order', () => {
    const router = new Router().get('/users/:id', 'param').get('/users/me', 'static');
    assert.equal(router.match('GET', '/users/me').handler, 'static');
    assert.equal(router.match('GET', '/users/you').handler, 'param');
  });

  it('prefers a parameter route over a wildcard', () => {
    const router = new Router().get('/a/*', 'wild').get('/a/:x', 'param');
    assert.equal(router.match('GET', '/a/1').handler, 'param');
    assert.equal(router.match('GET', '/a/1/2').handler, 'wild');
  });

  it('matches methods case-insensitively', () => {
    assert.equal(sampleRouter().match('post', '/users').handler, 'createUser');
  });

  it('returns 404 when no route matches the path', () => {
    assert.deepEqual(sampleRouter().match('GET', '/nope'), { status: 404, path: '/nope' });
  });

  it('returns 405 with the allowed methods when only the method is wrong', () => {
    const r = sampleRouter().match('PUT', '/users/42');
    assert.equal(r.status, 405);
    assert.deepEqual(r.allowed, ['DELETE', 'GET', 'HEAD']);
  });

  it('answers HEAD with a GET route', () => {
    const r = sampleRouter().match('HEAD', '/users/7');
    assert.equal(r.status, 200);
    assert.equal(r.handler, 'showUser');
  });

  it('prefers an explicit HEAD route over the GET fallback', () => {
    const router = new Router().get('/x', 'get').head('/x', 'head');
    assert.equal(router.match('HEAD', '/x').handler, 'head');
  });

  it('matches any method with all()', () => {
    const router = new Router().all('/any', 'any');
    assert.equal(router.match('PATCH', '/any').handler, 'any');
    assert.equal(router.match('GET', '/any').handler, 'any');
  });

  it('falls through to a lower-priority route that accepts the method', () => {
    const router = new Router().post('/users/me', 'postMe').get('/users/:id', 'show');
    const r = router.match('GET', '/users/me');
    assert.equal(r.handler, 'show');
    assert.deepEqual(r.params, { id: 'me' });
  });

  it('normalises the request path before matching', () => {
    const r = sampleRouter().match('GET', '//users/./me/');
    assert.equal(r.handler, 'me');
    assert.equal(r.path, '/users/me');
  });

  it('accepts absolute URLs', () => {
    assert.equal(sampleRouter().match('GET', 'https://example.com/users/me?x=1').handler, 'me');
  });

  it('keeps encoded slashes and percent signs inside a parameter', () => {
    const router = sampleRouter();
    assert.deepEqual(router.match('GET', '/users/a%2Fb').params, { id: 'a/b' });
    assert.deepEqual(router.match('GET', '/users/100%25').params, { id: '100%' });
  });

  it('returns 400 for a malformed path', () => {
    const r = sampleRouter().match('GET', '/users/%zz');
    assert.equal(r.status, 400);
    assert.match(r.error, /Malformed/);
  });

  it('captures wildcards and optional parameters', () => {
    const router = sampleRouter();
    assert.deepEqual(router.match('GET', '/files/a/b.txt').params, { path: 'a/b.txt' });
    assert.deepEqual(router.match('GET', '/posts/2').params, { page: '2' });
  });

  it('honours strict and caseSensitive options', () => {
    const strict = new Router({ strict: true }).get('/docs/', 'docs');
    assert.equal(strict.match('GET', '/docs/').status, 200);
    assert.equal(strict.match('GET', '/docs').status, 404);
    const loose = new Router({ caseSensitive: false }).get('/Docs', 'docs');
    assert.equal(loose.match('GET', '/DOCS').handler, 'docs');
  });
});

describe('Router.add', () => {
  it('accepts several methods at once', () => {
    const router = new Router().add(['GET', 'post'], '/form', 'form');
    assert.equal(router.match('POST', '/form').handler, 'form');
    assert.deepEqual(router.routes(), [{ methods: ['GET', 'POST'], pattern: '/form', name: null }]);
  });

  it('rejects duplicate routes, including differently named parameters', () => {
    const router = new Router().get('/users/:id', 'a');
    assert.throws(() => router.get('/users/:userId', 'b'), (err) => err.code === 'ERR_DUPLICATE_ROUTE');
    assert.doesNotThrow(() => router.post('/users/:userId', 'c'));
  });

  it('validates its arguments', () => {
    const router = new Router();
    assert.throws(() => router.add('GE T', '/x', 'h'), RouterError);
    assert.throws(() => router.add([], '/x', 'h'), RouterError);
    assert.throws(() => router.get('/x', undefined), TypeError);
    assert.throws(() => router.get(42, 'h'), TypeError);
    assert.throws(() => router.match('GET', 42), TypeError);
    assert.throws(() => new Router({ strict: 'yes' }), TypeError);
  });

  it('lists routes in priority order', () => {
    const router = createRouter().get('/a/*', 1).get('/a/:b', 2).get('/a/b', 3);
    assert.deepEqual(
      router.routes().map((r) => r.pattern),
      ['/a/b', '/a/:b', '/a/*'],
    );
  });
});
