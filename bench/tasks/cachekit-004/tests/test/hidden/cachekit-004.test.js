'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, memoize, createManualClock } = require('../../lib');

function setup(options = {}) {
  const clock = createManualClock(10_000);
  const events = [];
  const cache = new LRUCache({
    max: 10,
    clock,
    onEvict: (key, value, reason) => events.push([key, reason]),
    ...options,
  });
  return { clock, cache, events };
}

describe('sliding expiration (updateAgeOnGet)', () => {
  it('keeps an entry alive as long as it keeps being read', () => {
    const { clock, cache, events } = setup({ ttl: 100, updateAgeOnGet: true });
    cache.set('session', 's1');
    for (let i = 0; i < 10; i += 1) {
      clock.advance(80);
      assert.equal(cache.get('session'), 's1', `read ${i}`);
      assert.equal(cache.getRemainingTTL('session'), 100);
    }
    clock.advance(100);
    assert.equal(cache.get('session'), undefined);
    assert.deepEqual(events, [['session', 'expire']]);
  });

  it('restarts an entry with the ttl it was stored with', () => {
    const { clock, cache } = setup({ ttl: 1000, updateAgeOnGet: true });
    cache.set('short', 1, { ttl: 30 });
    cache.set('forever', 2, { ttl: 0 });
    cache.set('default', 3);
    clock.advance(20);
    assert.equal(cache.get('short'), 1);
    assert.equal(cache.get('forever'), 2);
    assert.equal(cache.get('default'), 3);
    assert.equal(cache.getRemainingTTL('short'), 30);
    assert.equal(cache.getRemainingTTL('forever'), Infinity);
    assert.equal(cache.getRemainingTTL('default'), 1000);
    clock.advance(30);
    assert.equal(cache.has('short'), false);
    assert.equal(cache.has('default'), true);
  });

  it('peek(), has() and iteration do not count as reads, and an expired entry is not revived', () => {
    const { clock, cache } = setup({ ttl: 100, updateAgeOnGet: true });
    cache.set('a', 1);
    clock.advance(60);
    assert.equal(cache.peek('a'), 1);
    assert.equal(cache.has('a'), true);
    assert.deepEqual([...cache.keys()], ['a']);
    assert.equal(cache.getRemainingTTL('a'), 40);
    clock.advance(40);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.stats.misses, 1);
  });

  it('is off unless enabled, and must be a boolean', () => {
    const { clock, cache } = setup({ ttl: 100, updateAgeOnGet: false });
    cache.set('a', 1);
    clock.advance(60);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.getRemainingTTL('a'), 40);
    clock.advance(40);
    assert.equal(cache.get('a'), undefined);
    assert.throws(() => new LRUCache({ max: 5, updateAgeOnGet: 'yes' }), {
      name: 'TypeError',
      message: /updateAgeOnGet must be a boolean/,
    });
  });

  it('works through memoize()', () => {
    const clock = createManualClock(0);
    let calls = 0;
    const lookup = memoize(
      (id) => {
        calls += 1;
        return { id };
      },
      { ttl: 50, updateAgeOnGet: true, clock },
    );
    const first = lookup(1);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(40);
      assert.equal(lookup(1), first);
    }
    clock.advance(50);
    assert.notEqual(lookup(1), first);
    assert.equal(calls, 2);
  });
});
