'use strict';

/**
 * Time-to-live arithmetic. An entry stored at time `t` with a TTL of `n`
 * milliseconds is fresh while `now < t + n` and expired from `t + n` on.
 * A TTL of 0 means the entry never expires.
 *
 * @module cachekit/ttl
 */

const { assertNonNegativeNumber } = require('./validate');

/** The expiry time of an entry that never expires. */
const NEVER = Infinity;

/**
 * Validates a TTL option, falling back to `fallback` when it is not given.
 *
 * @param {unknown} value
 * @param {number} fallback
 * @param {string} [name='ttl']
 * @returns {number}
 */
function resolveTTL(value, fallback, name = 'ttl') {
  if (value === undefined) return fallback;
  return assertNonNegativeNumber(value, name);
}

/**
 * @param {number} now - the time the entry is stored (or refreshed)
 * @param {number} ttl - its time to live; 0 for no expiry
 * @returns {number} the time at which it expires
 */
function expiryFor(now, ttl) {
  return ttl > 0 ? now + ttl : NEVER;
}

/**
 * @param {number} expiresAt
 * @param {number} now
 * @returns {boolean} whether an entry expiring at `expiresAt` is stale at `now`
 */
function isExpired(expiresAt, now) {
  return expiresAt !== NEVER && now >= expiresAt;
}

/**
 * @param {number} expiresAt
 * @param {number} now
 * @returns {number} milliseconds left, 0 once expired, `Infinity` if it never expires
 */
function remainingTTL(expiresAt, now) {
  if (expiresAt === NEVER) return Infinity;
  return Math.max(0, expiresAt - now);
}

module.exports = { NEVER, resolveTTL, expiryFor, isExpired, remainingTTL };
