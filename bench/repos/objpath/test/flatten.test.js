'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { flatten, unflatten, PathError } = require('../lib');

describe('flatten', () => {
  it('maps leaf paths to values', () => {
    assert.deepEqual(flatten({ a: { b: 1 }, c: [2, { d: 3 }], e: 'x' }), {
      'a.b': 1,
      'c[0]': 2,
      'c[1].d': 3,
      e: 'x',
    });
  });

  it('flattens a top-level array', () => {
    assert.deepEqual(flatten([{ a: 1 }, 'z']), { '[0].a': 1, '[1]': 'z' });
  });

  it('quotes keys that are not identifiers', () => {
    assert.deepEqual(flatten({ 'a.b': { 'c d': 1, '': 2, 7: 3 } }), {
      '["a.b"]["7"]': 3,
      '["a.b"]["c d"]': 1,
      '["a.b"][""]': 2,
    });
  });

  it('keeps empty containers unless told not to', () => {
    const doc = { a: {}, b: [], c: { d: [] }, e: null };
    assert.deepEqual(flatten(doc), { a: {}, b: [], 'c.d': [], e: null });
    assert.deepEqual(flatten(doc, { keepEmpty: false }), { e: null });
  });

  it('treats dates and class instances as leaves', () => {
    const when = new Date(0);
    class Box { constructor() { this.v = 1; } }
    const box = new Box();
    const flat = flatten({ when, box });
    assert.equal(flat.when, when);
    assert.equal(flat.box, box);
  });

  it('stops at maxDepth', () => {
    const inner = { c: 1 };
    assert.deepEqual(flatten({ a: { b: inner }, x: 2 }, { maxDepth: 2 }), { 'a.b': inner, x: 2 });
    assert.deepEqual(flatten({ a: { b: inner } }, { maxDepth: 1 }), { a: { b: inner } });
  });

  it('validates its input and options', () => {
    assert.throws(() => flatten('nope'), TypeError);
    assert.throws(() => flatten({}, { maxDepth: 0 }), RangeError);
    assert.throws(() => flatten({}, { keepEmpty: 'yes' }), TypeError);
  });

  it('throws on circular structures', () => {
    const doc = { a: { b: {} } };
    doc.a.b.back = doc.a;
    assert.throws(() => flatten(doc), /circular structure \(at "a\.b\.back"\)/);
  });

  it('allows the same object in two places', () => {
    const shared = { v: 1 };
    assert.deepEqual(flatten({ x: shared, y: shared }), { 'x.v': 1, 'y.v': 1 });
  });
});

describe('unflatten', () => {
  it('rebuilds nested objects and arrays', () => {
    assert.deepEqual(unflatten({ 'a.b': 1, 'c[0]': 2, 'c[1].d': 3 }), { a: { b: 1 }, c: [2, { d: 3 }] });
  });

  it('returns an array when every key starts with an index', () => {
    assert.deepEqual(unflatten({ '[0].a': 1, '[1]': 'z' }), [{ a: 1 }, 'z']);
    assert.deepEqual(unflatten({}), {});
  });

  it('round-trips flatten output', () => {
    const samples = [
      { a: { b: [1, 2, { c: 'x' }] }, 'odd key': { '': true, 'a.b': null } },
      [[1, [2]], { 'q"uote': 'v', 'back\\slash': {} }],
      { nested: { empty: [], list: [{}, []] }, n: 0 },
    ];
    for (const sample of samples) {
      assert.deepEqual(unflatten(flatten(sample)), sample);
    }
  });

  it('does not write into the caller\'s empty containers', () => {
    const empty = {};
    const out = unflatten({ a: empty, 'a.b': 1 });
    assert.deepEqual(out, { a: { b: 1 } });
    assert.deepEqual(empty, {});
  });

  it('rejects bad keys', () => {
    assert.throws(() => unflatten({ '__proto__.polluted': 1 }), /unsafe key/);
    assert.equal({}.polluted, undefined);
    assert.throws(() => unflatten({ '': 1 }), PathError);
    assert.throws(() => unflatten({ 'a.': 1 }), PathError);
    assert.throws(() => unflatten({ a: 1, 'a.b': 2 }), /holds a number/);
    assert.throws(() => unflatten([]), TypeError);
  });
});
