'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { memoize, LRUCache, createManualClock, stableStringify, defaultKeyResolver } = require('../lib');

function counted(fn) {
  const wrapper = (...args) => {
    wrapper.calls += 1;
    return fn(...args);
  };
  wrapper.calls = 0;
  return wrapper;
}

describe('memoize', () => {
  it('calls the function once per distinct argument list', () => {
    const add = counted((a, b) => a + b);
    const fast = memoize(add);
    assert.equal(fast(1, 2), 3);
    assert.equal(fast(1, 2), 3);
    assert.equal(fast(2, 1), 3);
    assert.equal(add.calls, 2);
    assert.equal(fast.cache.max, 1000);
    assert.equal(fast.name, 'memoized wrapper');
  });

  it('keys object arguments by structure, ignoring key order', () => {
    const fn = counted((query) => Object.keys(query).length);
    const fast = memoize(fn);
    fast({ a: 1, b: [1, 2] });
    fast({ b: [1, 2], a: 1 });
    fast({ a: 1, b: [2, 1] });
    assert.equal(fn.calls, 2);
  });

  it('caches undefined results', () => {
    const fn = counted(() => undefined);
    const fast = memoize(fn);
    fast('x');
    fast('x');
    assert.equal(fn.calls, 1);
    assert.equal(fast.has('x'), true);
  });

  it('does not cache a call that throws', () => {
    let fail = true;
    const fast = memoize((x) => {
      if (fail) throw new Error('boom');
      return x * 2;
    });
    assert.throws(() => fast(2), /boom/);
    fail = false;
    assert.equal(fast(2), 4);
  });

  it('uses a keyResolver when given', () => {
    const fn = counted((user) => user.name.toUpperCase());
    const fast = memoize(fn, { keyResolver: (user) => user.id });
    assert.equal(fast({ id: 1, name: 'ann' }), 'ANN');
    assert.equal(fast({ id: 1, name: 'changed' }), 'ANN');
    assert.equal(fn.calls, 1);
    assert.equal(fast.delete({ id: 1 }), true);
    assert.equal(fast({ id: 1, name: 'bob' }), 'BOB');
  });

  it('passes cache options through and honours ttl', () => {
    const clock = createManualClock(0);
    const fn = counted((x) => x + 1);
    const fast = memoize(fn, { ttl: 50, clock });
    fast(1);
    clock.advance(49);
    fast(1);
    clock.advance(10);
    fast(1);
    assert.equal(fn.calls, 2);
    assert.deepEqual({ hits: fast.cache.stats.hits, misses: fast.cache.stats.misses }, { hits: 1, misses: 2 });
  });

  it('evicts least recently used results past max', () => {
    const fn = counted((x) => x * 10);
    const fast = memoize(fn, { max: 2 });
    fast(1);
    fast(2);
    fast(3);
    assert.equal(fast.has(1), false);
    assert.equal(fast.has(2), true);
    fast.clear();
    assert.equal(fast.cache.size, 0);
  });

  it('shares a pending promise and drops it when it rejects', async () => {
    let attempt = 0;
    const load = counted(async (id) => {
      attempt += 1;
      if (attempt === 1) throw new Error(`failed ${id}`);
      return `user ${id}`;
    });
    const fast = memoize(load);
    const first = fast(7);
    assert.equal(fast(7), first);
    await assert.rejects(first, /failed 7/);
    assert.equal(fast.has(7), false);
    assert.equal(await fast(7), 'user 7');
    assert.equal(await fast(7), 'user 7');
    assert.equal(load.calls, 2);
  });

  it('can use an existing cache', () => {
    const cache = new LRUCache({ max: 5 });
    const fast = memoize((x) => x * 2, { cache });
    fast(4);
    assert.equal(cache.get(4), 8);
    assert.throws(() => memoize((x) => x, { cache, max: 2 }), /not both/);
    assert.throws(() => memoize((x) => x, { cache: new Map() }), /cache must be an LRUCache/);
  });

  it('validates its arguments', () => {
    assert.throws(() => memoize('nope'), /fn must be a function/);
    assert.throws(() => memoize((x) => x, { keyResolver: 1 }), /keyResolver must be a function/);
    assert.throws(() => memoize((x) => x, { ttl: -1 }), RangeError);
  });
});

describe('default keys', () => {
  it('uses a single primitive argument as its own key', () => {
    assert.equal(defaultKeyResolver(['a']), 'a');
    assert.equal(defaultKeyResolver([5]), 5);
    assert.equal(defaultKeyResolver([null]), null);
    assert.equal(typeof defaultKeyResolver([]), 'symbol');
    assert.notEqual(defaultKeyResolver([-0]), defaultKeyResolver([0]));
  });

  it('serializes values unambiguously', () => {
    assert.notEqual(stableStringify([1]), stableStringify(['1']));
    assert.notEqual(stableStringify({}), stableStringify({ a: undefined }));
    assert.equal(stableStringify({ b: 1, a: 2 }), stableStringify({ a: 2, b: 1 }));
    assert.equal(stableStringify([new Date(0), 10n, NaN]), '[Date(0),10n,NaN]');
    assert.notEqual(defaultKeyResolver(['a', 'b']), defaultKeyResolver(['a,b']));
  });

  it('refuses values it cannot key', () => {
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => stableStringify([cyclic]), /circular/);
    assert.throws(() => stableStringify([() => 1]), /function argument; pass a keyResolver/);
    assert.throws(() => stableStringify([new Map()]), /Map argument/);
    const shared = { x: 1 };
    assert.equal(stableStringify([shared, shared]), '[{"x":1},{"x":1}]');
  });
});
