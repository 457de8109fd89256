'use strict';

/**
 * Input validation helpers shared by the graph, the queue, the runner and the
 * public API. Every helper either returns the (normalised) value or throws a
 * ValidationError whose message names the offending argument.
 * @module taskflow/validate
 */

const { ValidationError } = require('./errors');

/**
 * Describes a value for an error message without dumping large objects.
 * @param {unknown} value
 * @returns {string}
 */
function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * @param {unknown} value
 * @returns {boolean} true for `{}` literals and `Object.create(null)` objects
 */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A task id is a non-empty string without leading or trailing whitespace.
 * @param {unknown} id
 * @param {string} [label]
 * @returns {string}
 */
function assertTaskId(id, label = 'task id') {
  if (typeof id !== 'string' || id.length === 0) {
    throw new ValidationError(`${label} must be a non-empty string, got ${describe(id)}`);
  }
  if (id.trim() !== id) {
    throw new ValidationError(`${label} must not start or end with whitespace, got ${describe(id)}`);
  }
  return id;
}

/**
 * @param {unknown} value
 * @param {string} label
 * @returns {Function}
 */
function assertFunction(value, label) {
  if (typeof value !== 'function') {
    throw new ValidationError(`${label} must be a function, got ${describe(value)}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @param {string} label
 * @param {{min?: number, allowInfinity?: boolean}} [limits]
 * @returns {number}
 */
function assertInteger(value, label, { min = 0, allowInfinity = false } = {}) {
  if (allowInfinity && value === Infinity) return value;
  if (!Number.isInteger(value)) {
    const expected = allowInfinity ? 'an integer or Infinity' : 'an integer';
    throw new ValidationError(`${label} must be ${expected}, got ${describe(value)}`);
  }
  if (value < min) {
    throw new ValidationError(`${label} must be at least ${min}, got ${value}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @param {string} label
 * @returns {number}
 */
function assertFiniteNumber(value, label) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(`${label} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks an options bag: `undefined` becomes `{}`, anything but a plain object
 * is rejected, and so is any key not in `allowed` (catches typos early).
 * @param {unknown} options
 * @param {string[]} allowed
 * @param {string} label
 * @returns {Record<string, unknown>}
 */
function assertOptions(options, allowed, label) {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new ValidationError(`${label}: options must be a plain object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(`${label}: unknown option "${key}" (expected one of: ${allowed.join(', ')})`);
    }
  }
  return options;
}

/**
 * Turns a dependency declaration (a single id or an array of ids) into an
 * array of unique, validated ids in declaration order.
 * @param {unknown} deps
 * @param {string} taskId the task declaring them, for error messages
 * @returns {string[]}
 */
function normalizeDependencies(deps, taskId) {
  if (deps === undefined) return [];
  const list = typeof deps === 'string' ? [deps] : deps;
  if (!Array.isArray(list)) {
    throw new ValidationError(
      `dependencies of task "${taskId}" must be a string or an array of strings, got ${describe(deps)}`,
    );
  }
  const seen = new Set();
  const result = [];
  list.forEach((dep, i) => {
    assertTaskId(dep, `dependency #${i} of task "${taskId}"`);
    if (!seen.has(dep)) {
      seen.add(dep);
      result.push(dep);
    }
  });
  return result;
}

/**
 * Accepts an AbortSignal or anything shaped like one.
 * @param {unknown} value
 * @param {string} [label]
 * @returns {AbortSignal}
 */
function assertSignal(value, label = 'signal') {
  const ok =
    value !== null &&
    typeof value === 'object' &&
    typeof value.aborted === 'boolean' &&
    typeof value.addEventListener === 'function' &&
    typeof value.removeEventListener === 'function';
  if (!ok) {
    throw new ValidationError(`${label} must be an AbortSignal, got ${describe(value)}`);
  }
  return value;
}

module.exports = {
  describe,
  isPlainObject,
  assertTaskId,
  assertFunction,
  assertInteger,
  assertFiniteNumber,
  assertOptions,
  normalizeDependencies,
  assertSignal,
};
