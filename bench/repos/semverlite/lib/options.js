'use strict';

/**
 * Normalisation of the options object accepted by most functions.
 * @module semverlite/options
 */

/**
 * @typedef {object} Options
 * @property {boolean} [includePrerelease=false] let prerelease versions satisfy ranges whose comparators do
 *   not mention a prerelease of the same major.minor.patch.
 */

const DEFAULTS = Object.freeze({ includePrerelease: false });

/**
 * Turn whatever the caller passed into a frozen, fully populated options object.
 * Unknown keys are ignored so that options objects can be shared with other libraries.
 *
 * @param {Options|undefined|null} options
 * @returns {Readonly<{includePrerelease: boolean}>}
 * @throws {TypeError} if options is neither an object nor undefined/null
 */
function parseOptions(options) {
  if (options === undefined || options === null) return DEFAULTS;
  if (typeof options !== 'object') {
    throw new TypeError(`options must be an object, got ${typeof options}`);
  }
  if (!options.includePrerelease) return DEFAULTS;
  return Object.freeze({ includePrerelease: true });
}

/**
 * Whether two normalised options objects would parse and match identically.
 *
 * @param {{includePrerelease: boolean}} a
 * @param {{includePrerelease: boolean}} b
 * @returns {boolean}
 */
function sameOptions(a, b) {
  return a.includePrerelease === b.includePrerelease;
}

module.exports = { parseOptions, sameOptions, DEFAULTS };
