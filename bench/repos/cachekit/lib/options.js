'use strict';

/**
 * Validation and defaults for cache options and per-call `set()` options.
 *
 * @module cachekit/options
 */

const {
  PREFIX,
  assertPositiveInteger,
  assertPositiveNumber,
  assertFunction,
  assertBoolean,
  assertOptionsObject,
  assertKnownKeys,
} = require('./validate');
const { resolveClock } = require('./clock');
const { resolveTTL } = require('./ttl');

/** Every option `new LRUCache()` accepts. */
const CACHE_OPTION_KEYS = Object.freeze([
  'max',
  'maxSize',
  'sizeCalculation',
  'ttl',
  'updateAgeOnGet',
  'clock',
  'onEvict',
]);

/** Every option `set()` accepts. */
const SET_OPTION_KEYS = Object.freeze(['ttl', 'size']);

/**
 * @typedef {object} CacheOptions
 * @property {number} [max] - the most entries to keep
 * @property {number} [maxSize] - the most total size to keep, sizes coming from `sizeCalculation` or `set(k, v, { size })`
 * @property {(value: any, key: any) => number} [sizeCalculation] - the size of an entry; defaults to 1 per entry
 * @property {number} [ttl] - default time to live in milliseconds; 0 (the default) for no expiry
 * @property {boolean} [updateAgeOnGet] - whether a `get()` hit restarts the entry's TTL (default false)
 * @property {import('./clock').Clock} [clock] - where the time comes from (default `Date.now()`)
 * @property {(key: any, value: any, reason: string) => void} [onEvict] - called after an entry leaves the cache
 */

/**
 * @typedef {object} ResolvedCacheOptions
 * @property {number} max
 * @property {number} maxSize
 * @property {((value: any, key: any) => number) | null} sizeCalculation
 * @property {number} ttl
 * @property {boolean} updateAgeOnGet
 * @property {import('./clock').Clock} clock
 * @property {((key: any, value: any, reason: string) => void) | null} onEvict
 */

/**
 * Validates cache options and fills in defaults.
 *
 * @param {CacheOptions} [options]
 * @returns {Readonly<ResolvedCacheOptions>}
 */
function normalizeCacheOptions(options) {
  const opts = assertOptionsObject(options, 'options');
  assertKnownKeys(opts, CACHE_OPTION_KEYS, 'cache');

  const max = opts.max === undefined ? Infinity : assertPositiveInteger(opts.max, 'max', { allowInfinity: true });
  const maxSize =
    opts.maxSize === undefined ? Infinity : assertPositiveNumber(opts.maxSize, 'maxSize', { allowInfinity: true });
  const ttl = resolveTTL(opts.ttl, 0);
  if (max === Infinity && maxSize === Infinity && ttl === 0) {
    throw new TypeError(`${PREFIX}at least one of max, maxSize or ttl must be set, or the cache could grow without bound`);
  }

  return Object.freeze({
    max,
    maxSize,
    sizeCalculation: opts.sizeCalculation === undefined ? null : assertFunction(opts.sizeCalculation, 'sizeCalculation'),
    ttl,
    updateAgeOnGet: opts.updateAgeOnGet === undefined ? false : assertBoolean(opts.updateAgeOnGet, 'updateAgeOnGet'),
    clock: resolveClock(opts.clock),
    onEvict: opts.onEvict === undefined ? null : assertFunction(opts.onEvict, 'onEvict'),
  });
}

/**
 * Validates the options of one `set()` call. Missing values stay `undefined`
 * so the cache can apply its own defaults.
 *
 * @param {{ ttl?: number, size?: number }} [options]
 * @returns {{ ttl: number | undefined, size: number | undefined }}
 */
function normalizeSetOptions(options) {
  const opts = assertOptionsObject(options, 'set() options');
  assertKnownKeys(opts, SET_OPTION_KEYS, 'set()');
  return {
    ttl: resolveTTL(opts.ttl, undefined),
    size: opts.size === undefined ? undefined : assertPositiveNumber(opts.size, 'size'),
  };
}

module.exports = { CACHE_OPTION_KEYS, SET_OPTION_KEYS, normalizeCacheOptions, normalizeSetOptions };
