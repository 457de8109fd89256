'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { query, queryValues, queryFirst, get, PathError } = require('../lib');

function catalog() {
  return {
    store: {
      books: [
        { title: 'Dune', price: 9, tags: ['sf'] },
        { title: 'Emma', price: 7, tags: [] },
        { title: 'Ulysses', price: 12, meta: { price: 1 } },
      ],
      bicycle: { color: 'red', price: 150 },
    },
    owner: 'shop',
  };
}

describe('query', () => {
  it('matches literal paths', () => {
    assert.deepEqual(query(catalog(), 'store.bicycle.color'), [
      { path: 'store.bicycle.color', segments: ['store', 'bicycle', 'color'], value: 'red' },
    ]);
    assert.deepEqual(query(catalog(), 'store.books[5]'), []);
    assert.deepEqual(query(catalog(), 'owner.length'), []);
  });

  it('expands * one level, in key order', () => {
    assert.deepEqual(queryValues(catalog(), 'store.books.*.title'), ['Dune', 'Emma', 'Ulysses']);
    assert.deepEqual(
      query(catalog(), 'store.books[*].price').map((m) => m.path),
      ['store.books[0].price', 'store.books[1].price', 'store.books[2].price']
    );
    assert.deepEqual(queryValues(catalog(), 'store.bicycle.*'), ['red', 150]);
  });

  it('expands ** to any depth, including zero levels', () => {
    assert.deepEqual(
      query(catalog(), 'store.**.price').map((m) => m.path),
      [
        'store.books[0].price',
        'store.books[1].price',
        'store.books[2].price',
        'store.books[2].meta.price',
        'store.bicycle.price',
      ]
    );
    assert.deepEqual(queryValues({ price: 3, a: { price: 4 } }, '**.price'), [3, 4]);
  });

  it('reports each concrete path once', () => {
    const paths = query({ a: { b: { c: 1 } } }, '**.**').map((m) => m.path);
    assert.deepEqual(paths, ['', 'a', 'a.b', 'a.b.c']);
  });

  it('returns paths that work with get', () => {
    const doc = catalog();
    for (const match of query(doc, '**.tags.*')) {
      assert.equal(get(doc, match.path), match.value);
      assert.equal(get(doc, match.segments), match.value);
    }
  });

  it('does not descend into leaves such as dates or class instances', () => {
    class Point { constructor() { this.x = 1; } }
    const doc = { when: new Date(0), p: new Point() };
    assert.deepEqual(query(doc, '*.*'), []);
    assert.deepEqual(query(doc, '**').map((m) => m.path), ['', 'when', 'p']);
  });

  it('survives circular references', () => {
    const node = { name: 'root', children: [] };
    node.children.push({ name: 'child', parent: node });
    node.self = node;
    assert.deepEqual(queryValues(node, '**.name'), ['root', 'child']);
  });

  it('visits an object shared by two keys under both', () => {
    const shared = { id: 7 };
    assert.deepEqual(query({ a: shared, b: [shared] }, '**.id').map((m) => m.path), ['a.id', 'b[0].id']);
  });

  it('quotes awkward keys in match paths', () => {
    const matches = query({ 'a.b': { 'x y': 1 } }, '*.*');
    assert.deepEqual(matches.map((m) => m.path), ['["a.b"]["x y"]']);
  });

  it('rejects malformed patterns', () => {
    assert.throws(() => query({}, 'a.**b'), PathError);
    assert.throws(() => query({}, 42), TypeError);
  });
});

describe('queryFirst', () => {
  it('returns the first match or undefined', () => {
    assert.equal(queryFirst(catalog(), 'store.books.*.title').value, 'Dune');
    assert.equal(queryFirst(catalog(), 'nothing.*'), undefined);
  });
});

describe('unions', () => {
  it('select several indices in the order given', () => {
    assert.deepEqual(queryValues(catalog(), 'store.books[2,0].title'), ['Ulysses', 'Dune']);
  });

  it('select several keys and skip missing ones', () => {
    assert.deepEqual(
      query(catalog(), 'store.bicycle["color", "size", \'price\']').map((m) => [m.path, m.value]),
      [['store.bicycle.color', 'red'], ['store.bicycle.price', 150]]
    );
  });

  it('combine with wildcards', () => {
    assert.deepEqual(queryValues(catalog(), 'store.books[0, 2].*').length, 6);
  });
});
