'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parsePath, parsePattern, stringifyPath, PathError } = require('../lib');

describe('parsePath', () => {
  it('parses dot notation', () => {
    assert.deepEqual(parsePath('a.b.c'), ['a', 'b', 'c']);
    assert.deepEqual(parsePath('first-name.$ref'), ['first-name', '$ref']);
  });

  it('parses bracket indices as numbers and dotted digits as keys', () => {
    assert.deepEqual(parsePath('items[0].tags[12]'), ['items', 0, 'tags', 12]);
    assert.deepEqual(parsePath('byId.42'), ['byId', '42']);
    assert.deepEqual(parsePath('[3][4]'), [3, 4]);
  });

  it('parses quoted keys with escapes', () => {
    assert.deepEqual(parsePath('a["b.c"]'), ['a', 'b.c']);
    assert.deepEqual(parsePath("a['x y']"), ['a', 'x y']);
    assert.deepEqual(parsePath('["say \\"hi\\""]'), ['say "hi"']);
    assert.deepEqual(parsePath('["back\\\\slash"]'), ['back\\slash']);
    assert.deepEqual(parsePath('["line\\nbreak\\t\\u00e9"]'), ['line\nbreak\t\u00e9']);
    assert.deepEqual(parsePath('[""]'), ['']);
  });

  it('parses negative indices', () => {
    assert.deepEqual(parsePath('items[-1].name'), ['items', -1, 'name']);
    assert.deepEqual(parsePath(['a', -2]), ['a', -2]);
    assert.throws(() => parsePath('a[-0]'), /Invalid array index/);
    assert.throws(() => parsePath('a[-]'), PathError);
    assert.equal(stringifyPath(['list', -1]), 'list[-1]');
  });

  it('treats the empty string as the root path', () => {
    assert.deepEqual(parsePath(''), []);
  });

  it('accepts arrays of segments and single indices', () => {
    assert.deepEqual(parsePath(['a.b', 0]), ['a.b', 0]);
    assert.deepEqual(parsePath(3), [3]);
    assert.throws(() => parsePath(['a', 1.5]), TypeError);
    assert.throws(() => parsePath({}), TypeError);
  });

  it('reports syntax errors with a position', () => {
    const cases = [
      ['a..b', 2],
      ['.a', 0],
      ['a.', 2],
      ['a[0', 3],
      ['a[0]b', 4],
      ['a["x]', 2],
      ['a[x]', 2],
      ['a["\\q"]', 4],
    ];
    for (const [path, position] of cases) {
      assert.throws(
        () => parsePath(path),
        (err) => err instanceof PathError && err.position === position && err.path === path,
        path
      );
    }
  });

  it('rejects leading zeros in indices', () => {
    assert.throws(() => parsePath('a[01]'), /Invalid array index/);
  });

  it('rejects wildcards outside of query patterns', () => {
    assert.throws(() => parsePath('a.*'), /only allowed in query patterns/);
    assert.throws(() => parsePath('**.id'), PathError);
    assert.throws(() => parsePath('a.b*'), /partial wildcards/);
  });
});

describe('parsePattern', () => {
  it('produces wildcard and globstar tokens', () => {
    assert.deepEqual(
      parsePattern('a.*[*].**.b').map((t) => t.type),
      ['key', 'wildcard', 'wildcard', 'globstar', 'key']
    );
  });

  it('parses unions of keys and indices', () => {
    assert.deepEqual(parsePattern('a[0, 2]'), [
      { type: 'key', value: 'a' },
      { type: 'union', members: [{ type: 'index', value: 0 }, { type: 'index', value: 2 }] },
    ]);
    assert.deepEqual(parsePattern('["x",\'y\']')[0].members.map((m) => m.value), ['x', 'y']);
    assert.throws(() => parsePattern('a[0,*]'), PathError);
    assert.throws(() => parsePath('a[0,1]'), /only allowed in query patterns/);
  });

  it('treats quoted stars as literal keys', () => {
    assert.deepEqual(parsePattern('["*"]'), [{ type: 'key', value: '*' }]);
  });
});

describe('stringifyPath', () => {
  it('uses dot notation for identifiers and brackets for the rest', () => {
    assert.equal(stringifyPath(['a', 0, 'b']), 'a[0].b');
    assert.equal(stringifyPath([0, 'x']), '[0].x');
    assert.equal(stringifyPath(['a.b', '', '1', '*']), '["a.b"][""]["1"]["*"]');
    assert.equal(stringifyPath([]), '');
  });

  it('escapes quotes, backslashes and control characters', () => {
    assert.equal(stringifyPath(['say "hi"']), '["say \\"hi\\""]');
    assert.equal(stringifyPath(['a\\b']), '["a\\\\b"]');
    assert.equal(stringifyPath(['\n\u0001']), '["\\n\\u0001"]');
  });

  it('round-trips through parsePath', () => {
    const samples = [['a', 'b'], ['x y', 3, 'z'], ['dots.in.key', 'back\\slash', '"quoted"'], [0, 1, 'é']];
    for (const segments of samples) {
      assert.deepEqual(parsePath(stringifyPath(segments)), segments);
    }
  });
});
