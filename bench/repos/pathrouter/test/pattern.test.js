'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { compilePattern, comparePatterns, matchPath, RouterError } = require('../lib');

const isInvalid = (err) => err instanceof RouterError && err.code === 'ERR_INVALID_PATTERN';

describe('compilePattern', () => {
  it('lists parameter names in order', () => {
    assert.deepEqual(compilePattern('/orgs/:org/repos/:repo/*rest').keys, ['org', 'repo', 'rest']);
    assert.deepEqual(compilePattern('/files/*').keys, ['*']);
  });

  it('rejects malformed patterns', () => {
    assert.throws(() => compilePattern('users'), isInvalid);
    assert.throws(() => compilePattern('/a//b'), isInvalid);
    assert.throws(() => compilePattern('/:'), isInvalid);
    assert.throws(() => compilePattern('/:id/:id'), isInvalid);
    assert.throws(() => compilePattern('/*rest/more'), isInvalid);
    assert.throws(() => compilePattern('/:id([a-z)'), isInvalid);
    assert.throws(() => compilePattern('/a/../b'), isInvalid);
    assert.throws(() => compilePattern('/:__proto__'), isInvalid);
  });

  it('only allows optional parameters after an optional parameter', () => {
    assert.throws(() => compilePattern('/:a?/b'), isInvalid);
    assert.throws(() => compilePattern('/:a?/:b'), isInvalid);
    assert.doesNotThrow(() => compilePattern('/:a?/:b?'));
  });

  it('gives equivalent patterns the same key', () => {
    assert.equal(compilePattern('/users/:id').key, compilePattern('/users/:userId').key);
    assert.notEqual(compilePattern('/users/:id').key, compilePattern('/users/:id(\\d+)').key);
  });
});

describe('matchPath', () => {
  it('matches static paths exactly', () => {
    assert.deepEqual(matchPath('/about', '/about'), {});
    assert.equal(matchPath('/about', '/about/us'), null);
    assert.equal(matchPath('/about', '/About'), null);
  });

  it('ignores case when caseSensitive is false', () => {
    assert.deepEqual(matchPath('/About/:Name', '/ABOUT/Ada', { caseSensitive: false }), { Name: 'Ada' });
  });

  it('extracts named parameters', () => {
    assert.deepEqual(matchPath('/users/:id/posts/:post', '/users/42/posts/hello'), { id: '42', post: 'hello' });
  });

  it('decodes parameter values', () => {
    assert.deepEqual(matchPath('/tags/:tag', '/tags/caf%C3%A9%20noir'), { tag: 'café noir' });
  });

  it('checks constraints against the decoded value', () => {
    assert.deepEqual(matchPath('/n/:id(\\d+)', '/n/123'), { id: '123' });
    assert.equal(matchPath('/n/:id(\\d+)', '/n/12a'), null);
    assert.deepEqual(matchPath('/v/:ver(v\\d+|latest)', '/v/latest'), { ver: 'latest' });
  });

  it('matches optional parameters when they are given', () => {
    assert.deepEqual(matchPath('/posts/:page?', '/posts/3'), { page: '3' });
    assert.equal(matchPath('/posts/:page?', '/posts/3/4'), null);
  });

  it('matches optional parameters when they are absent', () => {
    assert.deepEqual(matchPath('/posts/:page?', '/posts'), {});
    assert.deepEqual(matchPath('/archive/:year?/:month?', '/archive/2024'), { year: '2024' });
  });

  it('captures the rest of the path with a wildcard', () => {
    assert.deepEqual(matchPath('/static/*path', '/static/css/site.css'), { path: 'css/site.css' });
    assert.deepEqual(matchPath('/static/*path', '/static'), { path: '' });
    assert.deepEqual(matchPath('/static/*', '/static/a'), { '*': 'a' });
  });

  it('treats the trailing slash as significant only in strict mode', () => {
    assert.deepEqual(matchPath('/docs', '/docs/'), {});
    assert.deepEqual(matchPath('/docs/', '/docs'), {});
    assert.equal(matchPath('/docs', '/docs/', { strict: true }), null);
    assert.deepEqual(matchPath('/docs/', '/docs/', { strict: true }), {});
    assert.equal(matchPath('/users/:id', '/users/', { strict: true }), null);
  });
});

describe('comparePatterns', () => {
  const order = (...patterns) =>
    patterns
      .map((p) => compilePattern(p))
      .sort(comparePatterns)
      .map((c) => c.source);

  it('puts static before parameter before wildcard', () => {
    assert.deepEqual(order('/users/*', '/users/:id', '/users/me'), ['/users/me', '/users/:id', '/users/*']);
  });

  it('prefers constrained parameters and required over optional', () => {
    assert.deepEqual(order('/p/:page?', '/p/:slug', '/p/:id(\\d+)'), ['/p/:id(\\d+)', '/p/:slug', '/p/:page?']);
  });

  it('decides on the first differing segment, shorter first on a tie', () => {
    assert.deepEqual(order('/a/:b/c', '/a/b/*'), ['/a/b/*', '/a/:b/c']);
    assert.deepEqual(order('/a/*', '/a'), ['/a', '/a/*']);
  });
});
