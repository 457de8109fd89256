'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, memoize, createManualClock } = require('../../lib');

function setup(options = {}) {
  const clock = createManualClock(5000);
  const events = [];
  const cache = new LRUCache({
    max: 10,
    clock,
    onEvict: (key, value, reason) => events.push([key, reason]),
    ...options,
  });
  return { clock, cache, events };
}

describe('expiry boundary', () => {
  it('get() misses once exactly ttl milliseconds have passed', () => {
    const { clock, cache, events } = setup({ ttl: 1000 });
    cache.set('session', 'abc');
    clock.advance(999);
    assert.equal(cache.get('session'), 'abc');
    clock.advance(1);
    assert.equal(cache.get('session'), undefined);
    assert.deepEqual(events, [['session', 'expire']]);
    assert.equal(cache.stats.hits, 1);
    assert.equal(cache.stats.misses, 1);
    assert.equal(cache.stats.expirations, 1);
    assert.equal(cache.size, 0);
  });

  it('has(), peek() and iteration treat an entry as gone at its expiry time', () => {
    const { clock, cache } = setup({ ttl: 1000 });
    cache.set('a', 1, { ttl: 250 });
    cache.set('b', 2);
    clock.advance(250);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.peek('a'), undefined);
    assert.deepEqual([...cache.keys()], ['b']);
    assert.equal(cache.getRemainingTTL('a'), 0);
    assert.equal(cache.has('b'), true);
  });

  it('prune() and delete() see an entry as expired at its expiry time', () => {
    const { clock, cache, events } = setup({ ttl: 100 });
    cache.set('a', 1).set('b', 2).set('c', 3, { ttl: 101 });
    clock.advance(100);
    assert.equal(cache.delete('b'), false);
    assert.equal(cache.prune(), 1);
    assert.deepEqual([...cache.keys()], ['c']);
    assert.deepEqual(events, [
      ['b', 'expire'],
      ['a', 'expire'],
    ]);
  });

  it('an entry at its expiry time that is pushed out by max counts as expired', () => {
    const { clock, cache, events } = setup({ max: 2, ttl: 100 });
    cache.set('a', 1);
    clock.advance(100);
    cache.set('b', 2).set('c', 3);
    assert.deepEqual(events, [['a', 'expire']]);
    assert.equal(cache.stats.evictions, 0);
    assert.equal(cache.stats.expirations, 1);
  });

  it('memoize() recomputes a result exactly ttl milliseconds after it was cached', () => {
    const clock = createManualClock(0);
    let calls = 0;
    const price = memoize(
      (sku) => {
        calls += 1;
        return `${sku}@${clock.now()}`;
      },
      { ttl: 60_000, clock },
    );
    assert.equal(price('x'), 'x@0');
    clock.advance(59_999);
    assert.equal(price('x'), 'x@0');
    clock.advance(1);
    assert.equal(price('x'), 'x@60000');
    assert.equal(calls, 2);
  });
});
