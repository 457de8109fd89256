'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, createManualClock } = require('../lib');

function setup(options = {}) {
  const clock = createManualClock(1000);
  const events = [];
  const cache = new LRUCache({
    max: 10,
    clock,
    onEvict: (key, value, reason) => events.push([key, reason]),
    ...options,
  });
  return { clock, cache, events };
}

describe('manual clock', () => {
  it('only moves when told to', () => {
    const clock = createManualClock(50);
    assert.equal(clock.now(), 50);
    assert.equal(clock.advance(25), 75);
    assert.equal(clock.set(100), 100);
    assert.equal(clock.now(), 100);
    assert.throws(() => clock.set(10), RangeError);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.throws(() => createManualClock('0'), TypeError);
  });
});

describe('TTL', () => {
  it('expires entries after the default ttl', () => {
    const { clock, cache, events } = setup({ ttl: 100 });
    cache.set('a', 1);
    clock.advance(99);
    assert.equal(cache.get('a'), 1);
    clock.advance(5);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.peek('a'), undefined);
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(events, [['a', 'expire']]);
    assert.equal(cache.size, 0);
    assert.deepEqual(
      { hits: cache.stats.hits, misses: cache.stats.misses, expirations: cache.stats.expirations },
      { hits: 1, misses: 1, expirations: 1 },
    );
  });

  it('a per-entry ttl overrides the default, and 0 means no expiry', () => {
    const { clock, cache } = setup({ ttl: 100 });
    cache.set('short', 1, { ttl: 10 });
    cache.set('default', 2);
    cache.set('forever', 3, { ttl: 0 });
    clock.advance(50);
    assert.deepEqual([...cache.keys()], ['forever', 'default']);
    clock.advance(1_000_000);
    assert.deepEqual([...cache.keys()], ['forever']);
    assert.equal(cache.getRemainingTTL('forever'), Infinity);
  });

  it('entries without a default ttl never expire', () => {
    const { clock, cache } = setup();
    cache.set('a', 1);
    clock.advance(1e9);
    assert.equal(cache.get('a'), 1);
  });

  it('getRemainingTTL() counts down to 0', () => {
    const { clock, cache } = setup({ ttl: 1000 });
    cache.set('a', 1);
    assert.equal(cache.getRemainingTTL('a'), 1000);
    clock.advance(400);
    assert.equal(cache.getRemainingTTL('a'), 600);
    clock.advance(5000);
    assert.equal(cache.getRemainingTTL('a'), 0);
    assert.equal(cache.getRemainingTTL('missing'), 0);
  });

  it('set() restarts the ttl of an existing key', () => {
    const { clock, cache } = setup({ ttl: 100 });
    cache.set('a', 1);
    clock.advance(80);
    cache.set('a', 2);
    clock.advance(80);
    assert.equal(cache.get('a'), 2);
    assert.equal(cache.getRemainingTTL('a'), 20);
  });

  it('setting over an expired entry reports it as expired, not replaced', () => {
    const { clock, cache, events } = setup({ ttl: 100 });
    cache.set('a', 1);
    clock.advance(150);
    cache.set('a', 2);
    assert.equal(cache.get('a'), 2);
    assert.deepEqual(events, [['a', 'expire']]);
  });

  it('delete() of an expired entry removes it but returns false', () => {
    const { clock, cache, events } = setup({ ttl: 100 });
    cache.set('a', 1);
    clock.advance(101);
    assert.equal(cache.delete('a'), false);
    assert.equal(cache.size, 0);
    assert.deepEqual(events, [['a', 'expire']]);
  });

  it('prune() removes every expired entry', () => {
    const { clock, cache, events } = setup({ ttl: 100 });
    cache.set('a', 1).set('b', 2, { ttl: 500 }).set('c', 3);
    clock.advance(200);
    assert.equal(cache.size, 3);
    assert.equal(cache.prune(), 2);
    assert.equal(cache.size, 1);
    assert.deepEqual(events, [
      ['a', 'expire'],
      ['c', 'expire'],
    ]);
    assert.equal(cache.prune(), 0);
  });

  it('an expired entry pushed out by max is reported as expired', () => {
    const { clock, cache, events } = setup({ max: 2, ttl: 100 });
    cache.set('a', 1);
    clock.advance(150);
    cache.set('b', 2).set('c', 3);
    assert.deepEqual(events, [['a', 'expire']]);
    assert.equal(cache.stats.evictions, 0);
    assert.equal(cache.stats.expirations, 1);
  });

  it('rejects a bad ttl', () => {
    const { cache } = setup();
    assert.throws(() => cache.set('a', 1, { ttl: -5 }), RangeError);
    assert.throws(() => cache.set('a', 1, { ttl: Infinity }), RangeError);
    assert.throws(() => cache.set('a', 1, { ttl: '5' }), TypeError);
  });

  it('a clock that returns garbage is reported', () => {
    const cache = new LRUCache({ ttl: 10, clock: { now: () => 'noon' } });
    assert.throws(() => cache.set('a', 1), /clock\.now\(\) must return a number/);
  });
});

describe('updateAgeOnGet', () => {
  it('a get() hit restarts the entry ttl', () => {
    const { clock, cache } = setup({ ttl: 100, updateAgeOnGet: true });
    cache.set('a', 1);
    clock.advance(90);
    assert.equal(cache.get('a'), 1);
    clock.advance(90);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.getRemainingTTL('a'), 100);
  });

  it('is off by default', () => {
    const { clock, cache } = setup({ ttl: 100 });
    cache.set('a', 1);
    clock.advance(90);
    assert.equal(cache.get('a'), 1);
    clock.advance(90);
    assert.equal(cache.get('a'), undefined);
  });
});
