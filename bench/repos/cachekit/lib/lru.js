'use strict';

/**
 * The least-recently-used cache.
 *
 * @module cachekit/lru
 */

const { PREFIX, describeValue, assertPositiveInteger } = require('./validate');
const { readClock } = require('./clock');
const { NEVER, expiryFor, isExpired, remainingTTL } = require('./ttl');
const { LinkedList } = require('./list');
const { CacheStats } = require('./stats');
const { EvictionReason } = require('./constants');
const { normalizeCacheOptions, normalizeSetOptions } = require('./options');

/**
 * @typedef {object} Entry
 * @property {any} key
 * @property {any} value
 * @property {number} size
 * @property {number} ttl - the TTL it was stored with, 0 for none
 * @property {number} expiresAt - `Infinity` when it never expires
 * @property {Entry|null} prev
 * @property {Entry|null} next
 */

/**
 * A map that remembers the order its entries were used in and drops the least
 * recently used ones once it holds more than `max` entries or more than
 * `maxSize` total size. Entries can also expire after a TTL.
 *
 * Expired entries are removed lazily: when `get()` or `delete()` meets them,
 * when they reach the least-recently-used end, or when `prune()` is called.
 * Until then they still count towards `size` and `totalSize`, but `has()`,
 * `peek()` and iteration already treat them as absent.
 *
 * @template K, V
 */
class LRUCache {
  /** @type {Readonly<import('./options').ResolvedCacheOptions>} */
  #options;
  /** @type {Map<K, Entry>} */
  #map = new Map();
  #list = new LinkedList();
  #stats = new CacheStats();
  #totalSize = 0;
  #max;

  /**
   * @param {import('./options').CacheOptions} options
   */
  constructor(options) {
    this.#options = normalizeCacheOptions(options);
    this.#max = this.#options.max;
  }

  /** The most entries the cache keeps. */
  get max() {
    return this.#max;
  }

  /** The most total size the cache keeps (`Infinity` when unlimited). */
  get maxSize() {
    return this.#options.maxSize;
  }

  /** The number of entries, including expired ones not yet removed. */
  get size() {
    return this.#map.size;
  }

  /** The sum of the sizes of all entries, including expired ones not yet removed. */
  get totalSize() {
    return this.#totalSize;
  }

  /** A snapshot of the hit, miss and removal counters. */
  get stats() {
    return this.#stats.snapshot();
  }

  /** Sets the counters in `stats` back to zero. */
  resetStats() {
    this.#stats.reset();
  }

  /**
   * Looks a key up, marking it as most recently used. Counts a hit or a miss.
   *
   * @param {K} key
   * @returns {V | undefined}
   */
  get(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) {
      this.#stats.recordMiss();
      return undefined;
    }
    const now = readClock(this.#options.clock);
    if (isExpired(entry.expiresAt, now)) {
      this.#remove(entry, EvictionReason.EXPIRE);
      this.#stats.recordMiss();
      return undefined;
    }
    this.#stats.recordHit();
    this.#list.moveToFront(entry);
    if (this.#options.updateAgeOnGet) entry.expiresAt = expiryFor(now, entry.ttl);
    return entry.value;
  }

  /**
   * Looks a key up without touching its recency or the statistics.
   *
   * @param {K} key
   * @returns {V | undefined}
   */
  peek(key) {
    const entry = this.#freshEntry(key);
    return entry === undefined ? undefined : entry.value;
  }

  /**
   * Whether the key holds a fresh entry. Does not touch recency or statistics.
   *
   * @param {K} key
   * @returns {boolean}
   */
  has(key) {
    return this.#freshEntry(key) !== undefined;
  }

  /**
   * Stores a value as the most recently used entry, then evicts least recently
   * used entries until the cache is within `max` and `maxSize`.
   *
   * A value whose own size is larger than `maxSize` is not stored; any value
   * the key held before is removed (reason `'set'`).
   *
   * @param {K} key
   * @param {V} value
   * @param {{ ttl?: number, size?: number }} [options] - `ttl` overrides the default TTL for this entry,
   *   `size` overrides `sizeCalculation`
   * @returns {this}
   */
  set(key, value, options) {
    const setOptions = normalizeSetOptions(options);
    const ttl = setOptions.ttl === undefined ? this.#options.ttl : setOptions.ttl;
    const size = setOptions.size === undefined ? this.#sizeOf(key, value) : setOptions.size;
    const now = readClock(this.#options.clock);
    let existing = this.#map.get(key);
    if (existing !== undefined && isExpired(existing.expiresAt, now)) {
      // The old value is gone either way; report it as expired, not replaced.
      this.#remove(existing, EvictionReason.EXPIRE);
      existing = undefined;
    }

    if (size > this.#options.maxSize) {
      if (existing !== undefined) this.#remove(existing, EvictionReason.SET);
      return this;
    }

    const expiresAt = expiryFor(now, ttl);
    this.#stats.recordSet();

    if (existing !== undefined) {
      const oldValue = existing.value;
      this.#totalSize += size - existing.size;
      existing.value = value;
      existing.size = size;
      existing.ttl = ttl;
      existing.expiresAt = expiresAt;
      this.#list.moveToFront(existing);
      this.#trim();
      if (!Object.is(oldValue, value)) this.#notify(key, oldValue, EvictionReason.SET);
      return this;
    }

    /** @type {Entry} */
    const entry = { key, value, size, ttl, expiresAt, prev: null, next: null };
    this.#map.set(key, entry);
    this.#list.pushFront(entry);
    this.#totalSize += size;
    this.#trim();
    return this;
  }

  /**
   * Removes a key. An entry that had already expired is removed with reason
   * `'expire'` and reported as not found.
   *
   * @param {K} key
   * @returns {boolean} whether a fresh entry was removed
   */
  delete(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    if (isExpired(entry.expiresAt, readClock(this.#options.clock))) {
      this.#remove(entry, EvictionReason.EXPIRE);
      return false;
    }
    this.#remove(entry, EvictionReason.DELETE);
    return true;
  }

  /**
   * Removes every entry, calling `onEvict` with reason `'clear'` for each,
   * most recently used first. Statistics are kept.
   */
  clear() {
    const entries = [...this.#list.fromFront()];
    this.#map.clear();
    this.#list.clear();
    this.#totalSize = 0;
    for (const entry of entries) {
      entry.prev = null;
      entry.next = null;
      this.#notify(entry.key, entry.value, EvictionReason.CLEAR);
    }
  }

  /**
   * Removes every expired entry.
   *
   * @returns {number} how many were removed
   */
  prune() {
    const now = readClock(this.#options.clock);
    let removed = 0;
    for (const entry of this.#list.fromBack()) {
      if (isExpired(entry.expiresAt, now)) {
        this.#remove(entry, EvictionReason.EXPIRE);
        removed += 1;
      }
    }
    return removed;
  }

  /**
   * Changes `max`, evicting least recently used entries if the cache is now
   * over it.
   *
   * @param {number} max
   * @returns {this}
   */
  resize(max) {
    const newMax = assertPositiveInteger(max, 'max', { allowInfinity: true });
    if (newMax === Infinity && this.#options.maxSize === Infinity && this.#options.ttl === 0) {
      throw new RangeError(`${PREFIX}cannot remove the last bound of a cache (max, maxSize and ttl would all be unset)`);
    }
    this.#max = newMax;
    this.#trim();
    return this;
  }

  /**
   * Milliseconds until the key expires: `Infinity` if it never does, 0 if it
   * is missing or already expired.
   *
   * @param {K} key
   * @returns {number}
   */
  getRemainingTTL(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return 0;
    return remainingTTL(entry.expiresAt, readClock(this.#options.clock));
  }

  /**
   * Fresh `[key, value]` pairs from most to least recently used. Does not touch
   * recency or statistics.
   *
   * @returns {Generator<[K, V]>}
   */
  *entries() {
    for (const entry of this.#freshEntries()) yield [entry.key, entry.value];
  }

  /** @returns {Generator<K>} fresh keys, most recently used first */
  *keys() {
    for (const entry of this.#freshEntries()) yield entry.key;
  }

  /** @returns {Generator<V>} fresh values, most recently used first */
  *values() {
    for (const entry of this.#freshEntries()) yield entry.value;
  }

  /** @returns {Generator<[K, V]>} */
  [Symbol.iterator]() {
    return this.entries();
  }

  /**
   * Calls `fn(value, key, cache)` for every fresh entry, most recently used first.
   *
   * @param {(value: V, key: K, cache: this) => void} fn
   * @param {unknown} [thisArg]
   */
  forEach(fn, thisArg) {
    if (typeof fn !== 'function') throw new TypeError(`${PREFIX}forEach callback must be a function, got ${describeValue(fn)}`);
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }

  get [Symbol.toStringTag]() {
    return 'LRUCache';
  }

  /**
   * @param {K} key
   * @returns {Entry | undefined} the key's entry if it is fresh
   */
  #freshEntry(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== NEVER && isExpired(entry.expiresAt, readClock(this.#options.clock))) return undefined;
    return entry;
  }

  /** Snapshots the fresh entries first, so callbacks may modify the cache. */
  #freshEntries() {
    const now = this.#map.size > 0 ? readClock(this.#options.clock) : 0;
    const fresh = [];
    for (const entry of this.#list.fromFront()) {
      if (!isExpired(entry.expiresAt, now)) fresh.push(entry);
    }
    return fresh;
  }

  /**
   * @param {K} key
   * @param {V} value
   * @returns {number}
   */
  #sizeOf(key, value) {
    const { sizeCalculation } = this.#options;
    if (sizeCalculation === null) return 1;
    const size = sizeCalculation(value, key);
    if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
      throw new TypeError(`${PREFIX}sizeCalculation must return a positive finite number, got ${describeValue(size)}`);
    }
    return size;
  }

  /** Evicts from the least recently used end until within `max` and `maxSize`. */
  #trim() {
    let now;
    while (this.#list.tail !== null && (this.#map.size > this.#max || this.#totalSize > this.#options.maxSize)) {
      const victim = this.#list.tail;
      if (now === undefined) now = readClock(this.#options.clock);
      const reason = isExpired(victim.expiresAt, now) ? EvictionReason.EXPIRE : EvictionReason.EVICT;
      this.#remove(victim, reason);
    }
  }

  /**
   * @param {Entry} entry
   * @param {string} reason
   */
  #remove(entry, reason) {
    this.#map.delete(entry.key);
    this.#list.remove(entry);
    this.#totalSize -= entry.size;
    this.#stats.recordRemoval(reason);
    this.#notify(entry.key, entry.value, reason);
  }

  /**
   * @param {K} key
   * @param {V} value
   * @param {string} reason
   */
  #notify(key, value, reason) {
    if (this.#options.onEvict !== null) this.#options.onEvict(key, value, reason);
  }
}

module.exports = { LRUCache };
