'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const op = require('../../lib');

function playlist() {
  return { name: 'mix', tracks: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] };
}

describe('holes in sparse arrays', () => {
  it('has() reports a deleted element as missing', () => {
    const doc = playlist();
    assert.equal(op.del(doc, 'tracks[1]'), true);
    assert.equal(op.has(doc, 'tracks[1]'), false);
    assert.equal(op.has(doc, 'tracks[1].title'), false);
    assert.equal(op.has(doc, 'tracks[0]'), true);
    assert.equal(op.has(doc, 'tracks[2].title'), true);
    assert.equal(op.get(doc, 'tracks[1]', 'gone'), 'gone');
  });

  it('deleting the same element twice reports nothing removed the second time', () => {
    const doc = playlist();
    assert.equal(op.del(doc, 'tracks[0]'), true);
    assert.equal(op.del(doc, 'tracks[0]'), false);
    assert.equal(op.del(doc, ['tracks', 0, 'title']), false);
    assert.equal(doc.tracks.length, 3);
  });

  it('has() treats the gaps left by setting past the end as missing', () => {
    const doc = {};
    op.set(doc, 'slots[3]', 'x');
    assert.equal(doc.slots.length, 4);
    assert.equal(op.has(doc, 'slots[3]'), true);
    assert.equal(op.has(doc, 'slots[0]'), false);
    assert.equal(op.has(doc, 'slots[2]'), false);
    assert.equal(op.has([undefined], '[0]'), true);
  });

  it('query() skips holes for * and **', () => {
    const doc = playlist();
    op.del(doc, 'tracks[1]');
    assert.deepEqual(op.query(doc, 'tracks.*').map((m) => m.path), ['tracks[0]', 'tracks[2]']);
    assert.deepEqual(op.query(doc, 'tracks[*].title').map((m) => m.path), ['tracks[0].title', 'tracks[2].title']);
    assert.deepEqual(op.query(doc, '**.title').map((m) => m.value), ['A', 'C']);
    assert.deepEqual(op.query(doc, 'tracks[1]'), []);
    assert.ok(op.query(doc, '**').every((m) => m.value !== undefined));
  });

  it('flatten() leaves holes out and unflatten() restores them', () => {
    const doc = playlist();
    op.del(doc, 'tracks[1]');
    const flat = op.flatten(doc);
    assert.deepEqual(flat, { name: 'mix', 'tracks[0].title': 'A', 'tracks[2].title': 'C' });
    const back = op.unflatten(flat);
    assert.equal(back.tracks.length, 3);
    assert.equal(1 in back.tracks, false);
    assert.deepEqual(op.flatten({ empty: new Array(2) }), { empty: [] });
    assert.deepEqual(op.flatten({ empty: new Array(2) }, { keepEmpty: false }), {});
  });
});
