'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, memoize, createManualClock } = require('../../lib');

function recordingCache(options) {
  const events = [];
  const cache = new LRUCache({ ...options, onEvict: (key, value, reason) => events.push([key, reason]) });
  return { cache, events };
}

const byLength = (value) => value.length;

describe('size-limited caches', () => {
  it('evicts least recently used entries until the total size fits maxSize', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: byLength });
    assert.equal(cache.maxSize, 10);
    cache.set('a', 'xxx').set('b', 'xxx').set('c', 'xxx');
    assert.equal(cache.totalSize, 9);
    cache.get('a');
    cache.set('d', 'xxxxxx');
    assert.deepEqual([...cache.keys()], ['d', 'a']);
    assert.equal(cache.totalSize, 9);
    assert.deepEqual(events, [
      ['b', 'evict'],
      ['c', 'evict'],
    ]);
    assert.equal(cache.stats.evictions, 2);
  });

  it('takes sizes from set() first, then sizeCalculation(value, key), then 1', () => {
    const calls = [];
    const sized = new LRUCache({
      maxSize: 100,
      sizeCalculation: (value, key) => {
        calls.push([value, key]);
        return 5;
      },
    });
    sized.set('a', 'A').set('b', 'B', { size: 40 });
    assert.equal(sized.totalSize, 45);
    assert.deepEqual(calls, [['A', 'a']]);

    const counted = new LRUCache({ maxSize: 3 });
    counted.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
    assert.deepEqual([...counted.keys()], ['d', 'c', 'b']);
    assert.equal(counted.totalSize, 3);
  });

  it('keeps totalSize right through replacements, deletes, expiry and clear()', () => {
    const clock = createManualClock(0);
    const { cache, events } = recordingCache({ maxSize: 20, sizeCalculation: byLength, ttl: 100, clock });
    cache.set('a', 'xxxx').set('b', 'xxxx', { ttl: 10 }).set('c', 'xxxx');
    cache.set('a', 'xxxxxxxx');
    assert.equal(cache.totalSize, 16);
    cache.set('a', 'xx');
    assert.equal(cache.totalSize, 10);
    cache.delete('c');
    assert.equal(cache.totalSize, 6);
    clock.advance(50);
    assert.equal(cache.prune(), 1);
    assert.equal(cache.totalSize, 2);
    cache.set('c', 'x'.repeat(18));
    assert.deepEqual([...cache.keys()], ['c', 'a']);
    assert.equal(cache.totalSize, 20);
    cache.clear();
    assert.equal(cache.totalSize, 0);
    assert.equal(events.filter(([, reason]) => reason === 'evict').length, 0);
  });

  it('does not store a value larger than maxSize and drops the old value for that key', () => {
    const { cache, events } = recordingCache({ maxSize: 10, sizeCalculation: byLength });
    cache.set('a', 'xxx').set('b', 'xxx');
    cache.set('huge', 'x'.repeat(11));
    assert.equal(cache.has('huge'), false);
    assert.deepEqual([...cache.keys()], ['b', 'a']);
    assert.equal(cache.totalSize, 6);
    assert.deepEqual(events, []);
    cache.set('a', 'x'.repeat(50));
    assert.equal(cache.has('a'), false);
    assert.deepEqual([...cache.keys()], ['b']);
    assert.equal(cache.totalSize, 3);
    assert.deepEqual(events, [['a', 'set']]);
    cache.set('c', 'big', { size: 11 });
    assert.equal(cache.has('c'), false);
  });

  it('applies max and maxSize together, and works with memoize()', () => {
    const cache = new LRUCache({ max: 2, maxSize: 100, sizeCalculation: (value) => value });
    cache.set('a', 1).set('b', 1).set('c', 1);
    assert.deepEqual([...cache.keys()], ['c', 'b']);
    cache.set('d', 99);
    assert.deepEqual([...cache.keys()], ['d', 'c']);
    assert.equal(cache.totalSize, 100);

    let calls = 0;
    const render = memoize(
      (n) => {
        calls += 1;
        return 'x'.repeat(n);
      },
      { maxSize: 10, sizeCalculation: byLength },
    );
    render(4);
    render(4);
    render(5);
    assert.equal(render.cache.totalSize, 9);
    render(3);
    assert.equal(render.has(4), false);
    assert.equal(render.has(5), true);
    assert.equal(calls, 3);
  });

  it('validates maxSize, sizeCalculation and sizes', () => {
    assert.doesNotThrow(() => new LRUCache({ maxSize: 1 }));
    assert.throws(() => new LRUCache({ maxSize: 0 }), /maxSize/);
    assert.throws(() => new LRUCache({ maxSize: -5 }), /maxSize/);
    assert.throws(() => new LRUCache({ maxSize: '10' }), /maxSize/);
    assert.throws(() => new LRUCache({ maxSize: 10, sizeCalculation: 'length' }), /sizeCalculation/);
    const cache = new LRUCache({ maxSize: 10, sizeCalculation: (value) => value });
    assert.throws(() => cache.set('a', 0), /sizeCalculation/);
    assert.throws(() => cache.set('a', Number.NaN), /sizeCalculation/);
    assert.throws(() => cache.set('a', 1, { size: -1 }), /size/);
    assert.equal(cache.size, 0);
    assert.equal(cache.totalSize, 0);
  });
});
