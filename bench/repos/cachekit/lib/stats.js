'use strict';

/**
 * Hit, miss and removal counters for a cache.
 *
 * @module cachekit/stats
 */

const { EvictionReason } = require('./constants');

/**
 * @typedef {object} StatsSnapshot
 * @property {number} hits - `get()` calls that found a fresh entry
 * @property {number} misses - `get()` calls that found nothing or an expired entry
 * @property {number} sets - values stored by `set()`
 * @property {number} deletes - entries removed by `delete()`
 * @property {number} evictions - entries pushed out by `max` or `maxSize`
 * @property {number} expirations - entries removed because their TTL ran out
 * @property {number} hitRate - hits / (hits + misses), 0 before any lookup
 */

class CacheStats {
  constructor() {
    this.reset();
  }

  /** Sets every counter back to zero. */
  reset() {
    this.hits = 0;
    this.misses = 0;
    this.sets = 0;
    this.deletes = 0;
    this.evictions = 0;
    this.expirations = 0;
  }

  recordHit() {
    this.hits += 1;
  }

  recordMiss() {
    this.misses += 1;
  }

  recordSet() {
    this.sets += 1;
  }

  /**
   * Counts an entry leaving the cache. Replacements (`set`) and `clear` are
   * not counted: the caller asked for them and knows how many there were.
   *
   * @param {string} reason - one of {@link EvictionReason}
   */
  recordRemoval(reason) {
    switch (reason) {
      case EvictionReason.EVICT:
        this.evictions += 1;
        break;
      case EvictionReason.EXPIRE:
        this.expirations += 1;
        break;
      case EvictionReason.DELETE:
        this.deletes += 1;
        break;
      case EvictionReason.SET:
      case EvictionReason.CLEAR:
        break;
      default:
        throw new TypeError(`cachekit: unknown removal reason ${JSON.stringify(reason)}`);
    }
  }

  /** @returns {number} */
  get hitRate() {
    const lookups = this.hits + this.misses;
    return lookups === 0 ? 0 : this.hits / lookups;
  }

  /**
   * A frozen copy of the counters, safe to keep and compare later.
   *
   * @returns {Readonly<StatsSnapshot>}
   */
  snapshot() {
    return Object.freeze({
      hits: this.hits,
      misses: this.misses,
      sets: this.sets,
      deletes: this.deletes,
      evictions: this.evictions,
      expirations: this.expirations,
      hitRate: this.hitRate,
    });
  }
}

module.exports = { CacheStats };
