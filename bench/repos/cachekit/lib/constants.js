'use strict';

/**
 * Constants shared across modules.
 *
 * @module cachekit/constants
 */

/**
 * Why an entry left the cache, as passed to `onEvict(key, value, reason)`.
 *
 * @readonly
 * @enum {string}
 */
const EvictionReason = Object.freeze({
  /** Pushed out to make room: the cache was over `max` or `maxSize`. */
  EVICT: 'evict',
  /** Its TTL ran out. */
  EXPIRE: 'expire',
  /** Removed with `delete()`. */
  DELETE: 'delete',
  /** Replaced by `set()` with a different value, or by a value too large to store. */
  SET: 'set',
  /** Removed by `clear()`. */
  CLEAR: 'clear',
});

/** The `max` that `memoize()` uses when neither `max`, `maxSize` nor a cache is given. */
const DEFAULT_MEMOIZE_MAX = 1000;

module.exports = { EvictionReason, DEFAULT_MEMOIZE_MAX };
