'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const op = require('../../lib');

function orders() {
  return {
    history: [
      { id: 'o1', lines: [{ sku: 'a' }, { sku: 'b' }] },
      { id: 'o2', lines: [{ sku: 'c' }] },
      { id: 'o3', lines: [] },
    ],
    meta: { '-1': 'literal key' },
  };
}

describe('negative array indices', () => {
  it('get and has count from the end of an array', () => {
    const doc = orders();
    assert.equal(op.get(doc, 'history[-1].id'), 'o3');
    assert.equal(op.get(doc, 'history[-3].id'), 'o1');
    assert.equal(op.get(doc, 'history[0].lines[-1].sku'), 'b');
    assert.equal(op.get(doc, 'history[-2].lines[-1].sku'), 'c');
    assert.equal(op.has(doc, 'history[-3]'), true);
    assert.equal(op.has(doc, 'history[-4]'), false);
    assert.equal(op.get(doc, 'history[-4].id', 'none'), 'none');
    assert.equal(op.get(doc, 'history[-1].lines[-1]', 'empty'), 'empty');
    assert.equal(op.get([10, 20, 30], '[-1]'), 30);
  });

  it('set replaces existing elements counted from the end', () => {
    const doc = orders();
    op.set(doc, 'history[-1].id', 'o3b');
    assert.equal(doc.history[2].id, 'o3b');
    op.set(doc, 'history[-3].lines[-2]', { sku: 'z' });
    assert.deepEqual(doc.history[0].lines, [{ sku: 'z' }, { sku: 'b' }]);
    op.set(doc, 'history[-2].notes[0]', 'gift');
    assert.deepEqual(doc.history[1].notes, ['gift']);
    assert.equal(doc.history.length, 3);
  });

  it('set refuses negative indices that fall before the start', () => {
    const doc = orders();
    op.set(doc, 'history[-1].lines[0]', 'first');
    assert.throws(() => op.set(doc, 'history[-4].id', 'x'), op.PathError);
    assert.throws(() => op.set(doc, 'history[2].lines[-5]', 'x'), op.PathError);
    assert.throws(() => op.set({}, 'fresh[-1]', 'x'), op.PathError);
    assert.equal(doc.history.length, 3);
    assert.deepEqual(doc.history[2].lines, ['first']);
  });

  it('del removes the element counted from the end, leaving a hole', () => {
    const doc = orders();
    assert.equal(op.del(doc, 'history[-1]'), true);
    assert.equal(doc.history.length, 3);
    assert.equal(2 in doc.history, false);
    assert.equal(op.del(doc, 'history[-3].lines[-1]'), true);
    assert.deepEqual(Object.keys(doc.history[0].lines), ['0']);
    assert.equal(op.del(doc, 'history[-9]'), false);
  });

  it('query resolves negative indices to concrete paths', () => {
    const doc = orders();
    assert.deepEqual(op.query(doc, 'history[-1].id'), [
      { path: 'history[2].id', segments: ['history', 2, 'id'], value: 'o3' },
    ]);
    assert.deepEqual(op.query(doc, 'history.*.lines[-1].sku').map((m) => m.path), [
      'history[0].lines[1].sku',
      'history[1].lines[0].sku',
    ]);
    assert.deepEqual(op.query(doc, 'history[-7]'), []);
  });

  it('works with segment arrays, stringifyPath, and as a plain key on objects', () => {
    const doc = orders();
    assert.deepEqual(op.parsePath('history[-2].id'), ['history', -2, 'id']);
    assert.equal(op.get(doc, ['history', -2, 'id']), 'o2');
    assert.equal(op.stringifyPath(['history', -2, 'id']), 'history[-2].id');
    assert.equal(op.get(doc, 'meta[-1]'), 'literal key');
    assert.equal(op.has(doc, ['meta', -1]), true);
    assert.throws(() => op.parsePath('history[-]'), op.PathError);
    assert.throws(() => op.parsePath('history[-x]'), op.PathError);
  });
});
