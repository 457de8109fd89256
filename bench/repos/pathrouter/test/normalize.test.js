'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { normalizePath, splitUrl, splitSegments, RouterError } = require('../lib');

describe('splitUrl', () => {
  it('separates path, query and fragment', () => {
    assert.deepEqual(splitUrl('/a/b?x=1&y=2#top'), { path: '/a/b', query: 'x=1&y=2', hash: 'top' });
  });

  it('drops the scheme and authority of an absolute URL', () => {
    assert.deepEqual(splitUrl('https://example.com:8080/a?x=1'), { path: '/a', query: 'x=1', hash: '' });
    assert.deepEqual(splitUrl('http://example.com'), { path: '/', query: '', hash: '' });
  });

  it('keeps a question mark inside the fragment', () => {
    assert.deepEqual(splitUrl('/a#frag?not-query'), { path: '/a', query: '', hash: 'frag?not-query' });
  });
});

describe('normalizePath', () => {
  it('collapses repeated slashes', () => {
    assert.equal(normalizePath('//a///b//c'), '/a/b/c');
  });

  it('treats empty and relative paths as rooted', () => {
    assert.equal(normalizePath(''), '/');
    assert.equal(normalizePath('a/b'), '/a/b');
  });

  it('resolves dot segments without going above the root', () => {
    assert.equal(normalizePath('/a/./b/../c'), '/a/c');
    assert.equal(normalizePath('/../../a'), '/a');
    assert.equal(normalizePath('/a/b/../..'), '/');
  });

  it('drops the trailing slash unless asked to keep it', () => {
    assert.equal(normalizePath('/a/b/'), '/a/b');
    assert.equal(normalizePath('/a/b/', { keepTrailingSlash: true }), '/a/b/');
    assert.equal(normalizePath('/a/b/..', { keepTrailingSlash: true }), '/a/');
    assert.equal(normalizePath('/', { keepTrailingSlash: true }), '/');
  });

  it('canonicalises percent-encoding', () => {
    assert.equal(normalizePath('/%7euser/caf%c3%a9'), '/~user/caf%C3%A9');
    assert.equal(normalizePath('/a%2db'), '/a-b');
  });

  it('encodes characters that may not appear raw', () => {
    assert.equal(normalizePath('/café/a b'), '/caf%C3%A9/a%20b');
  });

  it('rejects malformed percent-encoding with a RouterError', () => {
    assert.throws(() => normalizePath('/a%zzb'), (err) => err instanceof RouterError && err.code === 'ERR_MALFORMED_PATH');
    assert.throws(() => normalizePath('/100%'), RouterError);
  });

  it('rejects non-strings', () => {
    assert.throws(() => normalizePath(null), TypeError);
  });
});

describe('splitSegments', () => {
  it('splits a normalised path', () => {
    assert.deepEqual(splitSegments('/'), []);
    assert.deepEqual(splitSegments('/a/b'), ['a', 'b']);
    assert.deepEqual(splitSegments('/a/b/'), ['a', 'b', '']);
  });
});
