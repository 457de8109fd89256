'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, RouterError } = require('../../lib');

function router() {
  return new Router()
    .get('/', 'home', { name: 'home' })
    .get('/users/:id', 'user', { name: 'user' })
    .get('/orgs/:org/repos/:repo', 'repo', { name: 'repo' })
    .get('/static/*path', 'static', { name: 'static' })
    .get('/archive/:year(\\d{4})?/:month?', 'archive', { name: 'archive' })
    .post('/users', 'createUser', { name: 'createUser' });
}

const code = (expected) => (err) => err instanceof RouterError && err.code === expected;

describe('Router#url', () => {
  it('builds the path of a named route', () => {
    const r = router();
    assert.equal(r.url('home'), '/');
    assert.equal(r.url('user', { id: 42 }), '/users/42');
    assert.equal(r.url('repo', { org: 'acme', repo: 'widget' }), '/orgs/acme/repos/widget');
    assert.equal(r.url('createUser'), '/users');
  });

  it('percent-encodes parameter values and appends the query string', () => {
    const r = router();
    assert.equal(r.url('user', { id: 'a b/c?d#e%' }), '/users/a%20b%2Fc%3Fd%23e%25');
    assert.equal(r.url('user', { id: 'ä' }, { q: 'x y', tags: ['a', 'b'], skip: undefined }), '/users/%C3%A4?q=x+y&tags=a&tags=b');
    assert.equal(r.url('user', { id: 1 }, {}), '/users/1');
  });

  it('handles wildcards and trailing optional parameters', () => {
    const r = router();
    assert.equal(r.url('static', { path: 'css/site.css' }), '/static/css/site.css');
    assert.equal(r.url('static', { path: ['a b', 'c.txt'] }), '/static/a%20b/c.txt');
    assert.equal(r.url('static'), '/static');
    assert.equal(r.url('archive'), '/archive');
    assert.equal(r.url('archive', { year: 2024 }), '/archive/2024');
    assert.equal(r.url('archive', { year: 2024, month: '05' }), '/archive/2024/05');
    assert.throws(() => r.url('archive', { month: '05' }), code('ERR_MISSING_PARAM'));
  });

  it('reports unknown names and bad parameters with RouterError codes', () => {
    const r = router();
    assert.throws(() => r.url('nope'), code('ERR_UNKNOWN_ROUTE'));
    assert.throws(() => r.url('user'), code('ERR_MISSING_PARAM'));
    assert.throws(() => r.url('repo', { org: 'acme' }), code('ERR_MISSING_PARAM'));
    assert.throws(() => r.url('archive', { year: '24' }), code('ERR_INVALID_PARAM'));
    assert.throws(() => r.url('user', { id: '' }), code('ERR_INVALID_PARAM'));
    assert.throws(() => r.url('user', { id: '..' }), code('ERR_INVALID_PARAM'));
    assert.throws(() => r.url('static', { path: 'css/../secret' }), code('ERR_INVALID_PARAM'));
  });

  it('rejects a second route with the same name', () => {
    const r = router();
    assert.throws(() => r.get('/people/:id', 'person', { name: 'user' }), code('ERR_DUPLICATE_NAME'));
    assert.throws(() => r.delete('/users/:id', 'deleteUser', { name: 'user' }), code('ERR_DUPLICATE_NAME'));
    assert.equal(r.url('user', { id: 1 }), '/users/1');
  });

  it('builds URLs that match back to the same route and params', () => {
    const r = router();
    for (const id of ['a/b', '100%', 'ä ö&x=1', '...', 'x?y', '.hidden']) {
      const m = r.match('GET', r.url('user', { id }));
      assert.equal(m.handler, 'user', id);
      assert.deepEqual(m.params, { id }, id);
    }
    const ci = new Router({ caseSensitive: false, strict: true })
      .get('/About/Team/', 'team', { name: 'team' })
      .get('/café/:x', 'cafe', { name: 'cafe' });
    assert.equal(ci.url('team'), '/About/Team/');
    assert.equal(ci.match('GET', ci.url('team')).handler, 'team');
    assert.deepEqual(ci.match('GET', ci.url('cafe', { x: 'é' })).params, { x: 'é' });
  });
});
