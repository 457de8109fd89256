'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { get, set, has, del, PathError } = require('../lib');

function sample() {
  return {
    user: { name: 'Ada', roles: ['admin', 'dev'], address: { city: 'London' } },
    items: [{ id: 'a', qty: 2 }, { id: 'b', qty: 5 }],
    'dotted.key': { inner: 'yes' },
  };
}

describe('get', () => {
  it('reads nested properties and array elements', () => {
    const doc = sample();
    assert.equal(get(doc, 'user.name'), 'Ada');
    assert.equal(get(doc, 'user.roles[1]'), 'dev');
    assert.equal(get(doc, 'items[1].qty'), 5);
    assert.equal(get(doc, ['dotted.key', 'inner']), 'yes');
    assert.equal(get(doc, '["dotted.key"].inner'), 'yes');
  });

  it('returns the root for the empty path', () => {
    const doc = sample();
    assert.equal(get(doc, ''), doc);
  });

  it('returns the default value for missing paths', () => {
    const doc = sample();
    assert.equal(get(doc, 'user.email', 'n/a'), 'n/a');
    assert.equal(get(doc, 'items[7].id', 'none'), 'none');
    assert.equal(get(doc, 'user.name.first', 'x'), 'x');
    assert.equal(get(undefined, 'a.b', 1), 1);
    assert.equal(get(doc, 'user.missing'), undefined);
  });

  it('ignores inherited properties', () => {
    assert.equal(get({}, 'toString'), undefined);
    assert.equal(get({ a: {} }, 'a.constructor', 'none'), 'none');
    assert.equal(get([1, 2], 'length'), undefined);
  });

  it('rejects wildcard paths', () => {
    assert.throws(() => get(sample(), 'items.*.id'), PathError);
  });
});

describe('has', () => {
  it('reports own properties along the path', () => {
    const doc = sample();
    assert.equal(has(doc, 'user.address.city'), true);
    assert.equal(has(doc, 'user.address.zip'), false);
    assert.equal(has(doc, 'items[1]'), true);
    assert.equal(has(doc, 'items[2]'), false);
    assert.equal(has(doc, ''), true);
  });

  it('counts properties holding undefined as present', () => {
    assert.equal(has({ a: { b: undefined } }, 'a.b'), true);
    assert.equal(has({ a: undefined }, 'a.b'), false);
  });

  it('does not see inherited properties or array length', () => {
    assert.equal(has({}, 'hasOwnProperty'), false);
    assert.equal(has(Object.create({ inherited: 1 }), 'inherited'), false);
    assert.equal(has(['x'], 'length'), false);
  });
});

describe('set', () => {
  it('writes into existing structures and returns the object', () => {
    const doc = sample();
    assert.equal(set(doc, 'user.address.city', 'Paris'), doc);
    assert.equal(doc.user.address.city, 'Paris');
    set(doc, 'items[0].qty', 9);
    assert.equal(doc.items[0].qty, 9);
  });

  it('creates objects and arrays as needed', () => {
    const out = {};
    set(out, 'a.b[1].c', 'x');
    assert.deepEqual(JSON.parse(JSON.stringify(out)), { a: { b: [null, { c: 'x' }] } });
    assert.ok(Array.isArray(out.a.b));
    assert.equal(out.a.b.length, 2);
    set(out, 'm.0', 'key');
    assert.deepEqual(out.m, { 0: 'key' });
  });

  it('replaces null and undefined along the path', () => {
    const doc = { a: null, b: undefined };
    set(doc, 'a.x', 1);
    set(doc, 'b[0]', 2);
    assert.deepEqual(doc, { a: { x: 1 }, b: [2] });
  });

  it('refuses to write through primitives', () => {
    const doc = { a: { b: 5 } };
    assert.throws(() => set(doc, 'a.b.c', 1), /"a\.b" holds a number/);
    assert.deepEqual(doc, { a: { b: 5 } });
  });

  it('refuses unsafe keys and non-index keys on arrays', () => {
    assert.throws(() => set({}, '__proto__.polluted', true), /unsafe key/);
    assert.throws(() => set({}, 'a.constructor.prototype.x', 1), /unsafe key/);
    assert.equal({}.polluted, undefined);
    assert.throws(() => set({ list: [] }, 'list.name', 'x'), /on an array/);
  });

  it('validates its arguments', () => {
    assert.throws(() => set(null, 'a', 1), TypeError);
    assert.throws(() => set({}, '', 1), /root path/);
    assert.throws(() => set({}, 'a[', 1), PathError);
  });
});

describe('del', () => {
  it('deletes properties and reports whether anything was removed', () => {
    const doc = sample();
    assert.equal(del(doc, 'user.address.city'), true);
    assert.deepEqual(doc.user.address, {});
    assert.equal(del(doc, 'user.address.city'), false);
    assert.equal(del(doc, 'nothing.here'), false);
  });

  it('leaves a hole in arrays instead of shifting elements', () => {
    const doc = sample();
    assert.equal(del(doc, 'user.roles[0]'), true);
    assert.equal(doc.user.roles.length, 2);
    assert.equal(0 in doc.user.roles, false);
    assert.equal(doc.user.roles[1], 'dev');
  });

  it('refuses to delete the root', () => {
    assert.throws(() => del({}, ''), /root path/);
  });
});

describe('negative indices', () => {
  it('count from the end of arrays when reading', () => {
    const doc = sample();
    assert.equal(get(doc, 'items[-1].id'), 'b');
    assert.equal(get(doc, 'user.roles[-2]'), 'admin');
    assert.equal(get(doc, 'items[-3]', 'none'), 'none');
    assert.equal(has(doc, 'items[-2]'), true);
    assert.equal(has(doc, 'items[-3]'), false);
  });

  it('write and delete existing elements', () => {
    const doc = sample();
    set(doc, 'user.roles[-1]', 'ops');
    assert.deepEqual(doc.user.roles, ['admin', 'ops']);
    assert.equal(del(doc, 'items[-1]'), true);
    assert.equal(doc.items.length, 2);
    assert.equal(1 in doc.items, false);
    assert.throws(() => set(doc, 'user.roles[-5]', 'x'), /out of range/);
    assert.throws(() => set({}, 'fresh[-1]', 'x'), /out of range/);
  });

  it('are plain keys on objects', () => {
    assert.equal(get({ '-1': 'minus one' }, '[-1]'), 'minus one');
  });
});
