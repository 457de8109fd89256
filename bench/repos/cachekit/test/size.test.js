'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache } = require('../lib');

function recordingCache(options) {
  const events = [];
  const cache = new LRUCache({ ...options, onEvict: (key, value, reason) => events.push([key, reason]) });
  return { cache, events };
}

describe('maxSize', () => {
  it('evicts least recently used entries until the total size fits', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('a', 'xxxx').set('b', 'xxxx');
    assert.equal(cache.totalSize, 8);
    cache.set('c', 'xxxxx');
    assert.deepEqual([...cache.keys()], ['c', 'b']);
    assert.equal(cache.totalSize, 9);
    assert.deepEqual(events, [['a', 'evict']]);
    assert.equal(cache.stats.evictions, 1);
  });

  it('may evict several entries for one large value', () => {
    const { cache } = recordingCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('a', 'xx').set('b', 'xx').set('c', 'xx').set('d', 'xx');
    cache.set('e', 'xxxxxxx');
    assert.deepEqual([...cache.keys()], ['e', 'd']);
    assert.equal(cache.totalSize, 9);
  });

  it('a size given to set() overrides sizeCalculation', () => {
    const cache = new LRUCache({ maxSize: 100, sizeCalculation: () => 1 });
    cache.set('a', 'value', { size: 40 });
    cache.set('b', 'value');
    assert.equal(cache.totalSize, 41);
    assert.equal(cache.maxSize, 100);
  });

  it('entries have size 1 without a sizeCalculation', () => {
    const cache = new LRUCache({ maxSize: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
    assert.equal(cache.size, 3);
    assert.equal(cache.totalSize, 3);
  });

  it('both max and maxSize apply', () => {
    const cache = new LRUCache({ max: 2, maxSize: 100, sizeCalculation: (value) => value });
    cache.set('a', 1).set('b', 1).set('c', 1);
    assert.deepEqual([...cache.keys()], ['c', 'b']);
    cache.set('d', 99);
    assert.deepEqual([...cache.keys()], ['d', 'c']);
    assert.equal(cache.totalSize, 100);
  });

  it('does not store a value larger than maxSize', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('a', 'xxx');
    cache.set('big', 'x'.repeat(11));
    assert.equal(cache.has('big'), false);
    assert.deepEqual([...cache.keys()], ['a']);
    assert.equal(cache.totalSize, 3);
    assert.deepEqual(events, []);
  });

  it('deleting and clearing give the size back', () => {
    const cache = new LRUCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('a', 'xxx').set('b', 'xxxx');
    cache.delete('a');
    assert.equal(cache.totalSize, 4);
    cache.clear();
    assert.equal(cache.totalSize, 0);
  });

  it('validates sizes', () => {
    assert.throws(() => new LRUCache({ maxSize: 0 }), RangeError);
    assert.throws(() => new LRUCache({ maxSize: 'big' }), TypeError);
    assert.throws(() => new LRUCache({ maxSize: 10, sizeCalculation: 5 }), /sizeCalculation must be a function/);
    const cache = new LRUCache({ maxSize: 10, sizeCalculation: () => -1 });
    assert.throws(() => cache.set('a', 1), /sizeCalculation must return a positive finite number, got the number -1/);
    assert.throws(() => cache.set('a', 1, { size: 0 }), RangeError);
    assert.equal(cache.size, 0);
  });
});
