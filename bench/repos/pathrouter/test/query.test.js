'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parseQuery, buildQuery } = require('../lib');

/** Query objects have a null prototype; copy into a plain object to compare. */
const plain = (obj) => ({ ...obj });

describe('parseQuery', () => {
  it('parses simple pairs', () => {
    assert.deepEqual(plain(parseQuery('a=1&b=two')), { a: '1', b: 'two' });
  });

  it('ignores a leading question mark and empty pairs', () => {
    assert.deepEqual(plain(parseQuery('?a=1&&b=2&')), { a: '1', b: '2' });
  });

  it('returns an empty object for empty, null and undefined input', () => {
    assert.deepEqual(plain(parseQuery('')), {});
    assert.deepEqual(plain(parseQuery('?')), {});
    assert.deepEqual(plain(parseQuery(undefined)), {});
    assert.deepEqual(plain(parseQuery(null)), {});
  });

  it('gives keys without a value the empty string', () => {
    assert.deepEqual(plain(parseQuery('flag&x=')), { flag: '', x: '' });
  });

  it('decodes percent-encoding and plus signs', () => {
    assert.deepEqual(plain(parseQuery('q=hello+world&name=J%C3%BCrgen&sym=%2B')), {
      q: 'hello world',
      name: 'Jürgen',
      sym: '+',
    });
  });

  it('splits each pair on its first equals sign only', () => {
    assert.deepEqual(plain(parseQuery('expr=a=b&token=YWJj==')), { expr: 'a=b', token: 'YWJj==' });
  });

  it('keeps malformed percent-encoding as written', () => {
    assert.deepEqual(plain(parseQuery('a=100%&b=%zz')), { a: '100%', b: '%zz' });
  });

  it('collects repeated keys into arrays', () => {
    assert.deepEqual(plain(parseQuery('tag=a&tag=b&tag=c&one=1')), { tag: ['a', 'b', 'c'], one: '1' });
  });

  it('treats key[] as an array even with a single value', () => {
    assert.deepEqual(plain(parseQuery('ids[]=7')), { ids: ['7'] });
    assert.deepEqual(plain(parseQuery('ids[]=7&ids[]=8')), { ids: ['7', '8'] });
  });

  it('returns a null-prototype object so __proto__ is plain data', () => {
    const q = parseQuery('__proto__=x&constructor=y');
    assert.equal(Object.getPrototypeOf(q), null);
    assert.equal(q.__proto__, 'x');
    assert.equal(q.constructor, 'y');
  });

  it('stops after maxKeys pairs', () => {
    assert.deepEqual(plain(parseQuery('a=1&b=2&c=3', { maxKeys: 2 })), { a: '1', b: '2' });
    assert.deepEqual(plain(parseQuery('a=1&b=2&c=3', { maxKeys: 0 })), { a: '1', b: '2', c: '3' });
  });

  it('rejects non-string input', () => {
    assert.throws(() => parseQuery(42), TypeError);
    assert.throws(() => parseQuery('a=1', { maxKeys: -1 }), TypeError);
  });
});

describe('buildQuery', () => {
  it('builds pairs in key order', () => {
    assert.equal(buildQuery({ b: '2', a: 1 }), 'b=2&a=1');
    assert.equal(buildQuery({ b: '2', a: 1 }, { sort: true }), 'a=1&b=2');
  });

  it('encodes keys and values, spaces as plus', () => {
    assert.equal(buildQuery({ 'full name': 'Ada Lovelace', q: 'a&b=c', e: 'é' }), 'full+name=Ada+Lovelace&q=a%26b%3Dc&e=%C3%A9');
  });

  it('repeats keys for arrays and skips null and undefined', () => {
    assert.equal(buildQuery({ tag: ['x', 'y'], none: null, missing: undefined, empty: [] }), 'tag=x&tag=y');
  });

  it('stringifies numbers and booleans', () => {
    assert.equal(buildQuery({ n: 0, t: true, f: false, big: 10n }), 'n=0&t=true&f=false&big=10');
  });

  it('rejects nested objects and non-object params', () => {
    assert.throws(() => buildQuery({ a: { b: 1 } }), TypeError);
    assert.throws(() => buildQuery('a=1'), TypeError);
    assert.throws(() => buildQuery({ n: NaN }), TypeError);
  });

  it('round-trips through parseQuery', () => {
    const input = { q: 'a+b c', tags: ['x', 'y z'], amp: 'a&b' };
    assert.deepEqual(plain(parseQuery(buildQuery(input))), input);
  });
});
