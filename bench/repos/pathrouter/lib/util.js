'use strict';

/**
 * Shared helpers: the error type, argument validation and safe percent-decoding.
 * Used by every other module in the library.
 * @module pathrouter/util
 */

/**
 * Error thrown (or reported) by pathrouter for invalid routes, paths and lookups.
 * Every instance carries a stable machine-readable `code`.
 */
class RouterError extends Error {
  /**
   * @param {string} message human-readable description
   * @param {string} code stable error code, e.g. `ERR_INVALID_PATTERN`
   */
  constructor(message, code) {
    super(message);
    this.name = 'RouterError';
    this.code = code;
  }
}

/**
 * Describe a value's type for error messages (`null`, `array`, `number`...).
 * @param {unknown} value
 * @returns {string}
 */
function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Throw a TypeError unless `value` is a string.
 * @param {unknown} value
 * @param {string} name argument name used in the message
 */
function assertString(value, name) {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${typeName(value)}`);
  }
}

/**
 * Throw a TypeError unless `value` is a boolean (or undefined, when `optional`).
 * @param {unknown} value
 * @param {string} name
 */
function assertOptionalBoolean(value, name) {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name} must be a boolean, got ${typeName(value)}`);
  }
}

/**
 * True for plain objects: `{}` literals and `Object.create(null)` objects.
 * @param {unknown} value
 * @returns {boolean}
 */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Percent-decode a string, returning `null` instead of throwing when the
 * encoding is malformed (a stray `%`, or bytes that are not valid UTF-8).
 * @param {string} value
 * @returns {string | null}
 */
function tryDecode(value) {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Convert a scalar to the string form used in URLs.
 * Accepts strings, finite numbers, bigints and booleans.
 * @param {unknown} value
 * @param {string} name what the value is, for the error message
 * @returns {string}
 */
function scalarToString(value, name) {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${name} must be a finite number, got ${value}`);
      return String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      throw new TypeError(`${name} must be a string, number or boolean, got ${typeName(value)}`);
  }
}

module.exports = {
  RouterError,
  typeName,
  assertString,
  assertOptionalBoolean,
  isPlainObject,
  tryDecode,
  scalarToString,
};
