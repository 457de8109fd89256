'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { PriorityQueue, ValidationError } = require('../lib');

describe('PriorityQueue', () => {
  it('starts empty', () => {
    const q = new PriorityQueue();
    assert.equal(q.size, 0);
    assert.equal(q.isEmpty(), true);
    assert.equal(q.pop(), undefined);
    assert.equal(q.peek(), undefined);
  });

  it('pops the highest priority first', () => {
    const q = new PriorityQueue();
    q.push('low', 1).push('high', 10).push('mid', 5);
    assert.equal(q.peek(), 'high');
    assert.deepEqual(q.drain(), ['high', 'mid', 'low']);
    assert.equal(q.isEmpty(), true);
  });

  it('keeps insertion order among equal priorities', () => {
    const q = new PriorityQueue();
    for (const v of ['a', 'b', 'c', 'd', 'e', 'f']) q.push(v, 0);
    assert.deepEqual(q.drain(), ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('breaks ties with an explicit order', () => {
    const q = new PriorityQueue();
    q.push('third', 1, 7).push('first', 1, 2).push('second', 1, 5).push('top', 2, 9);
    assert.deepEqual(q.drain(), ['top', 'first', 'second', 'third']);
  });

  it('orders by priority before insertion order', () => {
    const q = new PriorityQueue();
    q.push('a', 1).push('b', 2).push('c', 3).push('d', 2);
    assert.deepEqual(q.drain(), ['c', 'b', 'd', 'a']);
  });

  it('accepts negative priorities', () => {
    const q = new PriorityQueue();
    q.push('later', -5).push('normal').push('sooner', 0.5);
    assert.deepEqual(q.drain(), ['sooner', 'normal', 'later']);
  });

  it('rejects a priority that is not a finite number', () => {
    const q = new PriorityQueue();
    assert.throws(() => q.push('x', NaN), ValidationError);
    assert.throws(() => q.push('x', '1'), /priority must be a finite number, got "1"/);
    assert.equal(q.size, 0);
  });

  it('can be cleared and reused', () => {
    const q = new PriorityQueue();
    q.push('a').push('b');
    q.clear();
    assert.equal(q.size, 0);
    q.push('c', 3);
    assert.equal(q.pop(), 'c');
  });
});
