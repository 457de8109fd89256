'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache, memoize, createManualClock } = require('../../lib');

function recordingCache(options) {
  const events = [];
  const cache = new LRUCache({ ...options, onEvict: (key, value, reason) => events.push([key, reason]) });
  return { cache, events };
}

describe('recency of the oldest entry', () => {
  it('reading the oldest entry protects it from the next eviction', () => {
    const { cache, events } = recordingCache({ max: 2 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.has('b'), false);
    assert.deepEqual([...cache.keys()], ['a', 'c']);
    cache.set('d', 4);
    assert.deepEqual([...cache.keys()], ['d', 'a']);
    assert.deepEqual(events, [
      ['b', 'evict'],
      ['c', 'evict'],
    ]);
  });

  it('overwriting the oldest entry makes it the most recently used', () => {
    const { cache, events } = recordingCache({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.set('a', 10);
    cache.set('d', 4);
    cache.set('e', 5);
    assert.deepEqual([...cache.keys()], ['e', 'd', 'a']);
    assert.equal(cache.size, 3);
    assert.deepEqual(
      events.filter(([, reason]) => reason === 'evict'),
      [
        ['b', 'evict'],
        ['c', 'evict'],
      ],
    );
  });

  it('follows a reference model through a long sequence of operations', () => {
    const max = 4;
    const { cache, events } = recordingCache({ max });
    const model = []; // most recently used first
    const evicted = [];
    const touch = (key) => {
      const i = model.indexOf(key);
      if (i !== -1) model.splice(i, 1);
      model.unshift(key);
    };
    for (let step = 0; step < 200; step += 1) {
      const key = `k${(step * 7 + (step >> 2)) % 9}`;
      if (step % 3 === 0) {
        const hit = cache.get(key);
        assert.equal(hit !== undefined, model.includes(key), `step ${step}: get(${key})`);
        if (model.includes(key)) touch(key);
      } else {
        cache.set(key, step);
        touch(key);
        if (model.length > max) evicted.push(model.pop());
      }
      assert.deepEqual([...cache.keys()], model, `step ${step}`);
      assert.equal(cache.size, model.length);
    }
    assert.deepEqual(
      events.filter(([, reason]) => reason === 'evict').map(([key]) => key),
      evicted,
    );
  });

  it('prune() still finds every expired entry after the oldest one was read', () => {
    const clock = createManualClock(0);
    const { cache, events } = recordingCache({ max: 5, ttl: 100, clock });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    clock.advance(500);
    assert.equal(cache.prune(), 3);
    assert.equal(cache.size, 0);
    assert.deepEqual(events.map(([key]) => key).sort(), ['a', 'b', 'c']);
    cache.set('d', 4);
    assert.deepEqual([...cache.keys()], ['d']);
  });

  it('memoize() keeps a result that was just reused', () => {
    let calls = 0;
    const square = memoize(
      (n) => {
        calls += 1;
        return n * n;
      },
      { max: 2 },
    );
    square(1);
    square(2);
    square(1);
    square(3);
    assert.equal(square.has(1), true);
    assert.equal(square.has(2), false);
    assert.equal(square(1), 1);
    assert.equal(calls, 3);
  });
});
