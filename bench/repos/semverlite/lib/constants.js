'use strict';

/**
 * Shared limits and enumerations.
 * @module semverlite/constants
 */

/**
 * Longest version or range string that will be parsed. Longer input is rejected up front so that
 * pathological strings never reach the regular expressions.
 * @type {number}
 */
const MAX_LENGTH = 256;

/**
 * Largest value a numeric component (major, minor, patch or a numeric prerelease identifier) may take.
 * @type {number}
 */
const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * Every release type understood by `inc()`, in the order a user would usually reach for them.
 * @type {ReadonlyArray<string>}
 */
const RELEASE_TYPES = Object.freeze([
  'major',
  'premajor',
  'minor',
  'preminor',
  'patch',
  'prepatch',
  'prerelease',
]);

/**
 * The comparison operators accepted by `cmp()` and by comparators inside ranges. The empty string and
 * `'='` both mean equality.
 * @type {ReadonlyArray<string>}
 */
const OPERATORS = Object.freeze(['', '=', '==', '===', '!=', '!==', '>', '>=', '<', '<=']);

module.exports = {
  MAX_LENGTH,
  MAX_SAFE_INTEGER,
  RELEASE_TYPES,
  OPERATORS,
};
