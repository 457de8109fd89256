'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, EvictionReason } = require('../lib');

function recordingCache(options) {
  const events = [];
  const cache = new LRUCache({ ...options, onEvict: (key, value, reason) => events.push([key, value, reason]) });
  return { cache, events };
}

describe('LRUCache basics', () => {
  it('stores and returns values', () => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('b'), 2);
    assert.equal(cache.get('c'), undefined);
    assert.equal(cache.size, 2);
  });

  it('distinguishes a stored undefined from a missing key', () => {
    const cache = new LRUCache({ max: 3 });
    cache.set('u', undefined);
    assert.equal(cache.has('u'), true);
    assert.equal(cache.has('v'), false);
    assert.equal(cache.get('u'), undefined);
    assert.deepEqual(cache.stats.hits, 1);
  });

  it('uses SameValueZero keys like a Map', () => {
    const cache = new LRUCache({ max: 5 });
    const obj = {};
    cache.set(NaN, 'nan').set(obj, 'obj').set(1, 'number').set('1', 'string');
    assert.equal(cache.get(NaN), 'nan');
    assert.equal(cache.get(obj), 'obj');
    assert.equal(cache.get({}), undefined);
    assert.equal(cache.get(1), 'number');
    assert.equal(cache.get('1'), 'string');
  });

  it('deletes entries and reports whether anything was removed', () => {
    const { cache, events } = recordingCache({ max: 3 });
    cache.set('a', 1);
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.delete('a'), false);
    assert.equal(cache.has('a'), false);
    assert.deepEqual(events, [['a', 1, EvictionReason.DELETE]]);
  });

  it('clear() empties the cache and reports every entry, most recent first', () => {
    const { cache, events } = recordingCache({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.clear();
    assert.equal(cache.size, 0);
    assert.deepEqual([...cache.keys()], []);
    assert.deepEqual(events, [
      ['c', 3, 'clear'],
      ['b', 2, 'clear'],
      ['a', 1, 'clear'],
    ]);
    cache.set('d', 4);
    assert.equal(cache.get('d'), 4);
  });
});

describe('LRU eviction', () => {
  it('evicts the least recently set entry past max', () => {
    const { cache, events } = recordingCache({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.has('a'), false);
    assert.deepEqual([...cache.keys()], ['c', 'b']);
    assert.deepEqual(events, [['a', 1, EvictionReason.EVICT]]);
  });

  it('get() makes an entry the most recently used', () => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.get('b'), 2);
    assert.deepEqual([...cache.keys()], ['b', 'c', 'a']);
    cache.set('d', 4);
    assert.deepEqual([...cache.keys()], ['d', 'b', 'c']);
    cache.set('e', 5);
    assert.deepEqual([...cache.keys()], ['e', 'd', 'b']);
  });

  it('peek() and has() do not change recency', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.peek('a'), 1);
    assert.equal(cache.has('a'), true);
    cache.set('c', 3);
    assert.equal(cache.has('a'), false);
    assert.deepEqual([...cache.keys()], ['c', 'b']);
  });

  it('replacing a value reports the old one with reason "set"', () => {
    const { cache, events } = recordingCache({ max: 3 });
    cache.set('a', 1).set('b', 2);
    cache.set('b', 20);
    cache.set('b', 20);
    assert.equal(cache.get('b'), 20);
    assert.equal(cache.size, 2);
    assert.deepEqual(events, [['b', 2, EvictionReason.SET]]);
  });

  it('resize() evicts down to the new max', () => {
    const { cache, events } = recordingCache({ max: 4 });
    cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
    cache.resize(2);
    assert.equal(cache.max, 2);
    assert.deepEqual([...cache.keys()], ['d', 'c']);
    assert.deepEqual(
      events.map(([key, , reason]) => [key, reason]),
      [
        ['a', 'evict'],
        ['b', 'evict'],
      ],
    );
  });

  it('resize() refuses to leave a cache unbounded and keeps the old max', () => {
    const cache = new LRUCache({ max: 2 });
    assert.throws(() => cache.resize(Infinity), /cannot remove the last bound/);
    assert.equal(cache.max, 2);
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.size, 2);
  });
});

describe('iteration', () => {
  it('iterates entries, keys and values most recent first', () => {
    const cache = new LRUCache({ max: 5 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.deepEqual([...cache], [
      ['c', 3],
      ['b', 2],
      ['a', 1],
    ]);
    assert.deepEqual([...cache.values()], [3, 2, 1]);
    const seen = [];
    cache.forEach(function (value, key, self) {
      seen.push([key, value, self === cache, this.tag]);
    }, { tag: 't' });
    assert.deepEqual(seen, [
      ['c', 3, true, 't'],
      ['b', 2, true, 't'],
      ['a', 1, true, 't'],
    ]);
  });

  it('allows deleting while iterating', () => {
    const cache = new LRUCache({ max: 5 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    for (const key of cache.keys()) {
      if (key !== 'b') cache.delete(key);
    }
    assert.deepEqual([...cache.keys()], ['b']);
  });
});

describe('statistics', () => {
  it('counts hits, misses, sets, deletes and evictions', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('c');
    cache.get('a');
    cache.get('b');
    cache.get('zzz');
    cache.delete('b');
    cache.peek('c');
    cache.has('c');
    assert.deepEqual(cache.stats, {
      hits: 2,
      misses: 2,
      sets: 3,
      deletes: 1,
      evictions: 1,
      expirations: 0,
      hitRate: 0.5,
    });
  });

  it('stats is a frozen snapshot and resetStats() zeroes the counters', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1);
    cache.get('a');
    const before = cache.stats;
    assert.equal(Object.isFrozen(before), true);
    cache.resetStats();
    assert.equal(before.hits, 1);
    assert.deepEqual(cache.stats, { hits: 0, misses: 0, sets: 0, deletes: 0, evictions: 0, expirations: 0, hitRate: 0 });
    assert.equal(cache.get('a'), 1);
  });
});

describe('option validation', () => {
  it('requires at least one bound', () => {
    assert.throws(() => new LRUCache(), /at least one of/);
    assert.throws(() => new LRUCache({}), /at least one of/);
    assert.throws(() => new LRUCache({ max: Infinity }), /at least one of/);
  });

  it('rejects bad values with clear errors', () => {
    assert.throws(() => new LRUCache({ max: 0 }), { name: 'RangeError', message: /max must be a positive integer/ });
    assert.throws(() => new LRUCache({ max: 1.5 }), RangeError);
    assert.throws(() => new LRUCache({ max: '10' }), { name: 'TypeError', message: /got the string "10"/ });
    assert.throws(() => new LRUCache({ max: 1, ttl: -1 }), RangeError);
    assert.throws(() => new LRUCache({ max: 1, onEvict: 'nope' }), /onEvict must be a function/);
    assert.throws(() => new LRUCache({ max: 1, clock: {} }), /clock must be an object with a now\(\) method/);
    assert.throws(() => new LRUCache(null), TypeError);
  });

  it('rejects unknown options', () => {
    assert.throws(() => new LRUCache({ max: 1, maxAge: 10 }), /unknown cache option "maxAge"/);
    const cache = new LRUCache({ max: 1 });
    assert.throws(() => cache.set('a', 1, { tll: 5 }), /unknown set\(\) option "tll"/);
    assert.throws(() => cache.resize(0), RangeError);
    assert.throws(() => cache.forEach(null), TypeError);
  });
});
