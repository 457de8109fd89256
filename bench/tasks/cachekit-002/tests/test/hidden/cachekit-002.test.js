'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache } = require('../../lib');

function recordingCache(options) {
  const events = [];
  const cache = new LRUCache({ ...options, onEvict: (key, value, reason) => events.push([key, reason]) });
  return { cache, events };
}

describe('updating existing keys', () => {
  it('totalSize reflects the current sizes after values are replaced', () => {
    const cache = new LRUCache({ maxSize: 100, sizeCalculation: (value) => value.length });
    cache.set('a', 'xxxx').set('b', 'xx');
    cache.set('a', 'xxxxxx');
    assert.equal(cache.totalSize, 8);
    cache.set('a', 'x');
    assert.equal(cache.totalSize, 3);
    cache.set('b', 'xx');
    assert.equal(cache.totalSize, 3);
    assert.equal(cache.size, 2);
  });

  it('refreshing one key many times does not push other entries out', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('config', 'xxx');
    cache.set('token', 'xxx');
    for (let i = 0; i < 20; i += 1) cache.set('token', `v${i % 10}x`);
    assert.deepEqual([...cache.keys()], ['token', 'config']);
    assert.equal(cache.totalSize, 6);
    assert.equal(cache.stats.evictions, 0);
    assert.deepEqual(
      events.filter(([, reason]) => reason !== 'set'),
      [],
    );
  });

  it('a growing value evicts only as many older entries as needed', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: (value) => value.length });
    cache.set('a', 'xxx').set('b', 'xxx').set('c', 'xxx');
    cache.set('c', 'xxxxx');
    assert.deepEqual([...cache.keys()], ['c', 'b']);
    assert.equal(cache.totalSize, 8);
    assert.deepEqual(
      events.filter(([, reason]) => reason === 'evict'),
      [['a', 'evict']],
    );
  });

  it('explicit sizes given to set() are replaced, not added up', () => {
    const cache = new LRUCache({ max: 10, maxSize: 50 });
    cache.set('blob', 'v1', { size: 30 });
    cache.set('blob', 'v2', { size: 30 });
    cache.set('other', 'o', { size: 20 });
    assert.equal(cache.has('blob'), true);
    assert.equal(cache.totalSize, 50);
    cache.delete('blob');
    assert.equal(cache.totalSize, 20);
    cache.delete('other');
    assert.equal(cache.totalSize, 0);
  });
});
