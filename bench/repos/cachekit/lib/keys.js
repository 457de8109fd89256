'use strict';

/**
 * Deriving cache keys from function arguments, for `memoize()`.
 *
 * @module cachekit/keys
 */

const { PREFIX } = require('./validate');

/** The key of a call with no arguments. */
const NO_ARGS_KEY = Symbol('cachekit.noArgs');

/** Marks serialized keys so they cannot collide with a plain string argument by accident. */
const SERIALIZED_PREFIX = '\u0000cachekit:';

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isPrimitive(value) {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * @param {object} value
 * @returns {boolean}
 */
function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Serializes a value so that structurally equal values give the same string
 * and different ones (including `1` and `"1"`, `-0` and `0`, `{}` and
 * `{ a: undefined }`) give different strings. Object keys are sorted, so key
 * order does not matter. Supports primitives other than symbols, arrays, plain
 * objects and dates; anything else throws a `TypeError`.
 *
 * @param {unknown} value
 * @param {Set<object>} [ancestors] - the objects being serialized above this one, to detect cycles
 * @returns {string}
 */
function stableStringify(value, ancestors = new Set()) {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'symbol':
    case 'function':
      throw new TypeError(`${PREFIX}cannot derive a cache key from a ${typeof value} argument; pass a keyResolver`);
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (ancestors.has(value)) throw new TypeError(`${PREFIX}cannot derive a cache key from a circular argument`);

  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item) => stableStringify(item, ancestors)).join(',')}]`;
    }
    if (isPlainObject(value)) {
      const parts = Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${stableStringify(value[key], ancestors)}`);
      return `{${parts.join(',')}}`;
    }
    const kind = value.constructor && value.constructor.name ? value.constructor.name : 'object';
    throw new TypeError(`${PREFIX}cannot derive a cache key from a ${kind} argument; pass a keyResolver`);
  } finally {
    ancestors.delete(value);
  }
}

/**
 * The default `memoize()` key: a call with one primitive argument is keyed by
 * that argument itself; anything else by a serialization of all arguments.
 *
 * @param {unknown[]} args
 * @returns {unknown}
 */
function defaultKeyResolver(args) {
  if (args.length === 0) return NO_ARGS_KEY;
  if (args.length === 1 && isPrimitive(args[0])) {
    const [arg] = args;
    // A Map treats -0 and 0 as one key, and a string could mimic a serialized
    // key: those few fall through to serialization.
    const ambiguous = Object.is(arg, -0) || (typeof arg === 'string' && arg.startsWith(SERIALIZED_PREFIX));
    if (!ambiguous) return arg;
  }
  return SERIALIZED_PREFIX + stableStringify(args);
}

module.exports = { NO_ARGS_KEY, isPrimitive, stableStringify, defaultKeyResolver };
