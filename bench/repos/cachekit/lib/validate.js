'use strict';

/**
 * Assertion helpers shared by every cachekit module.
 *
 * Each helper returns the value it checked, so callers can validate and assign
 * in one step. A value of the wrong type raises a `TypeError`; a value of the
 * right type that is out of range raises a `RangeError`. Messages always start
 * with "cachekit:" and name the option that was wrong.
 *
 * @module cachekit/validate
 */

const PREFIX = 'cachekit: ';

/**
 * Describes a value for an error message without dumping large objects.
 *
 * @param {unknown} value
 * @returns {string}
 */
function describeValue(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'function':
      return 'a function';
    case 'object':
      return value.constructor && value.constructor !== Object ? `a ${value.constructor.name}` : 'an object';
    default:
      return `${typeof value} ${String(value)}`;
  }
}

/**
 * Throws an error of the given class with a uniform message.
 *
 * @param {ErrorConstructor} ErrorClass
 * @param {string} name - the option or argument name
 * @param {string} expectation - what the value should have been
 * @param {unknown} value - what it was
 * @returns {never}
 */
function fail(ErrorClass, name, expectation, value) {
  throw new ErrorClass(`${PREFIX}${name} must be ${expectation}, got ${describeValue(value)}`);
}

/**
 * Asserts a positive integer (1, 2, 3, ...), optionally allowing `Infinity`.
 *
 * @param {unknown} value
 * @param {string} name
 * @param {{ allowInfinity?: boolean }} [opts]
 * @returns {number}
 */
function assertPositiveInteger(value, name, { allowInfinity = false } = {}) {
  if (typeof value !== 'number' || Number.isNaN(value)) fail(TypeError, name, 'a positive integer', value);
  if (value === Infinity && allowInfinity) return value;
  if (!Number.isInteger(value) || value < 1) fail(RangeError, name, 'a positive integer', value);
  return value;
}

/**
 * Asserts a finite number greater than zero, optionally allowing `Infinity`.
 *
 * @param {unknown} value
 * @param {string} name
 * @param {{ allowInfinity?: boolean }} [opts]
 * @returns {number}
 */
function assertPositiveNumber(value, name, { allowInfinity = false } = {}) {
  if (typeof value !== 'number' || Number.isNaN(value)) fail(TypeError, name, 'a positive number', value);
  if (value === Infinity && allowInfinity) return value;
  if (!Number.isFinite(value) || value <= 0) fail(RangeError, name, 'a positive finite number', value);
  return value;
}

/**
 * Asserts a finite number that is zero or greater.
 *
 * @param {unknown} value
 * @param {string} name
 * @returns {number}
 */
function assertNonNegativeNumber(value, name) {
  if (typeof value !== 'number' || Number.isNaN(value)) fail(TypeError, name, 'a non-negative number', value);
  if (!Number.isFinite(value) || value < 0) fail(RangeError, name, 'a non-negative finite number', value);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {Function}
 */
function assertFunction(value, name) {
  if (typeof value !== 'function') fail(TypeError, name, 'a function', value);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {boolean}
 */
function assertBoolean(value, name) {
  if (typeof value !== 'boolean') fail(TypeError, name, 'a boolean', value);
  return value;
}

/**
 * Asserts an options bag: `undefined` becomes an empty object, anything other
 * than a plain (non-array) object is rejected.
 *
 * @param {unknown} value
 * @param {string} name
 * @returns {Record<string, unknown>}
 */
function assertOptionsObject(value, name) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(TypeError, name, 'an object', value);
  return value;
}

/**
 * Rejects option names that are not in `allowed`, which catches typos such as
 * `{ maxAge: 1000 }` for `{ ttl: 1000 }` instead of silently ignoring them.
 *
 * @param {Record<string, unknown>} options
 * @param {readonly string[]} allowed
 * @param {string} name - what the options are for, for the message
 */
function assertKnownKeys(options, allowed, name) {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${PREFIX}unknown ${name} option ${JSON.stringify(key)} (known: ${allowed.join(', ')})`);
    }
  }
}

module.exports = {
  PREFIX,
  describeValue,
  assertPositiveInteger,
  assertPositiveNumber,
  assertNonNegativeNumber,
  assertFunction,
  assertBoolean,
  assertOptionsObject,
  assertKnownKeys,
};
