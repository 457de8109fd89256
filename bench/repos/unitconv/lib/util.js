'use strict';

/**
 * Small helpers shared by the other modules: argument checks, option merging and
 * floating point clean-up.
 * @module unitconv/util
 */

const { UnitError } = require('./errors');

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * A short, human readable description of a value for error messages.
 * @param {*} value
 * @returns {string}
 */
function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined') return String(value);
  return `a ${typeof value}`;
}

/**
 * @param {*} value
 * @returns {boolean} true for numbers that are neither NaN nor infinite
 */
function isFiniteNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Throw a TypeError unless `value` is a finite number.
 * @param {*} value
 * @param {string} what name used in the error message
 */
function assertFiniteNumber(value, what) {
  if (!isFiniteNumber(value)) {
    throw new TypeError(`${what} must be a finite number, got ${describe(value)}`);
  }
}

/**
 * Merge user options over a defaults object. Unknown keys are rejected so that a typo
 * such as `{ precison: 3 }` does not pass silently; `undefined` values keep the default.
 * The defaults object itself is never modified.
 * @template T
 * @param {T} defaults
 * @param {object|null|undefined} options
 * @param {string} where function name used in error messages
 * @returns {T} a new object
 */
function mergeOptions(defaults, options, where) {
  const merged = { ...defaults };
  if (options === undefined || options === null) return merged;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!hasOwn(defaults, key)) {
      throw new UnitError(`${where}: unknown option "${key}"`);
    }
    if (options[key] !== undefined) merged[key] = options[key];
  }
  return merged;
}

/**
 * Remove binary floating point noise by keeping 15 significant digits, so that
 * 0.30479999999999996 becomes 0.3048. Also turns -0 into 0.
 * @param {number} value
 * @returns {number}
 */
function cleanFloat(value) {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  return Number(value.toPrecision(15));
}

/**
 * Round half away from zero to `digits` decimal places, using decimal exponent shifting
 * so that 1.005 rounds to 1.01 (plain `toFixed` would give 1.00).
 * @param {number} value
 * @param {number} digits a whole number from 0 to 20
 * @returns {number}
 */
function roundTo(value, digits) {
  if (!Number.isFinite(value)) return value;
  const shift = (number, by) => {
    const [mantissa, exponent = '0'] = String(number).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const rounded = shift(Math.round(shift(Math.abs(value), digits)), -digits);
  const signed = value < 0 ? -rounded : rounded;
  return signed === 0 ? 0 : signed;
}

/**
 * Relative comparison of two numbers.
 * @param {number} a
 * @param {number} b
 * @param {number} [tolerance=1e-9] relative tolerance
 * @returns {boolean}
 */
function nearlyEqual(a, b, tolerance = 1e-9) {
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance * scale;
}

module.exports = {
  hasOwn,
  describe,
  isFiniteNumber,
  assertFiniteNumber,
  mergeOptions,
  cleanFloat,
  roundTo,
  nearlyEqual,
};
