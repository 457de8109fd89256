'use strict';

/**
 * `memoize()`: cache a function's results in an {@link LRUCache}.
 *
 * @module cachekit/memoize
 */

const { PREFIX, describeValue, assertFunction, assertOptionsObject } = require('./validate');
const { DEFAULT_MEMOIZE_MAX } = require('./constants');
const { defaultKeyResolver } = require('./keys');
const { LRUCache } = require('./lru');

/**
 * @typedef {import('./options').CacheOptions & {
 *   keyResolver?: (...args: any[]) => unknown,
 *   cache?: LRUCache<any, any>,
 * }} MemoizeOptions
 */

/**
 * @param {unknown} value
 * @returns {value is PromiseLike<unknown>}
 */
function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

/**
 * Builds the cache a memoized function uses: the one given, or a new one from
 * the cache options (with `max` defaulting to {@link DEFAULT_MEMOIZE_MAX}).
 *
 * @param {LRUCache<any, any> | undefined} cache
 * @param {import('./options').CacheOptions} cacheOptions
 * @returns {LRUCache<any, any>}
 */
function resolveCache(cache, cacheOptions) {
  if (cache === undefined) {
    const bounded = cacheOptions.max !== undefined || cacheOptions.maxSize !== undefined;
    return new LRUCache(bounded ? cacheOptions : { ...cacheOptions, max: DEFAULT_MEMOIZE_MAX });
  }
  if (!(cache instanceof LRUCache)) {
    throw new TypeError(`${PREFIX}cache must be an LRUCache, got ${describeValue(cache)}`);
  }
  const extra = Object.keys(cacheOptions);
  if (extra.length > 0) {
    throw new TypeError(`${PREFIX}pass either a cache or cache options to memoize(), not both (got ${extra.join(', ')})`);
  }
  return cache;
}

/**
 * Wraps `fn` so that calls with the same arguments return the cached result.
 *
 * Keys come from `keyResolver(...args)` when given, otherwise from the
 * arguments themselves (see `defaultKeyResolver`). `this` is passed through to
 * `fn` but is not part of the key. A call that throws caches nothing. When `fn`
 * returns a promise, the promise itself is cached, so concurrent calls share
 * it; if it rejects, it is removed from the cache so the next call tries again.
 *
 * The returned function has `cache`, `clear()`, `delete(...args)` and
 * `has(...args)`.
 *
 * @template {(...args: any[]) => any} F
 * @param {F} fn
 * @param {MemoizeOptions} [options]
 * @returns {F & { cache: LRUCache<any, ReturnType<F>>, clear(): void, delete(...args: Parameters<F>): boolean,
 *   has(...args: Parameters<F>): boolean }}
 */
function memoize(fn, options) {
  assertFunction(fn, 'fn');
  const { keyResolver, cache: givenCache, ...cacheOptions } = assertOptionsObject(options, 'memoize options');
  if (keyResolver !== undefined) assertFunction(keyResolver, 'keyResolver');
  const cache = resolveCache(givenCache, cacheOptions);

  /** @param {unknown[]} args */
  const keyOf = (args) => (keyResolver === undefined ? defaultKeyResolver(args) : keyResolver(...args));

  function memoized(...args) {
    const key = keyOf(args);
    const cached = cache.get(key);
    // A cached undefined is a hit too; has() tells it apart from a miss.
    if (cached !== undefined || cache.has(key)) return cached;

    const result = fn.apply(this, args);
    cache.set(key, result);
    if (isThenable(result)) {
      result.then(undefined, () => {
        // Only drop the promise if it is still the one cached for this key.
        if (cache.peek(key) === result) cache.delete(key);
      });
    }
    return result;
  }

  Object.defineProperties(memoized, {
    name: { value: `memoized ${fn.name || 'anonymous'}` },
    length: { value: fn.length },
  });
  memoized.cache = cache;
  memoized.clear = () => cache.clear();
  memoized.delete = (...args) => cache.delete(keyOf(args));
  memoized.has = (...args) => cache.has(keyOf(args));
  return memoized;
}

module.exports = { memoize, isThenable };
