'use strict';

/**
 * Small helpers shared by the parser, the accessors, the query engine and flatten/unflatten.
 * Nothing in here knows about path syntax.
 */

const { PathError } = require('./errors');

/** Keys that `set` and `unflatten` refuse to write, to avoid prototype pollution. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Own-property check that works for objects without a prototype.
 *
 * @param {object} obj
 * @param {PropertyKey} key
 * @returns {boolean}
 */
function hasOwn(obj, key) {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * True for any non-null object (arrays, plain objects, class instances, dates, ...).
 *
 * @param {unknown} value
 * @returns {value is object}
 */
function isObjectLike(value) {
  return value !== null && typeof value === 'object';
}

/**
 * True for objects created by `{}`, `new Object()` or `Object.create(null)`.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
function isPlainObject(value) {
  if (!isObjectLike(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * Values that wildcard queries and flatten descend into: arrays and plain objects. Everything
 * else (dates, maps, class instances, primitives) is treated as a leaf.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
function isContainer(value) {
  return Array.isArray(value) || isPlainObject(value);
}

/**
 * True when `key` denotes an array index: a non-negative safe integer, or its canonical
 * decimal string ("0", "12", but not "01", "-1" or "1.0").
 *
 * @param {unknown} key
 * @returns {boolean}
 */
function isIndex(key) {
  if (typeof key === 'number') return Number.isSafeInteger(key) && key >= 0;
  return typeof key === 'string' && CANONICAL_INDEX.test(key) && Number.isSafeInteger(Number(key));
}

/**
 * Whether `container` holds `key` as an own property. Arrays expose only their elements: named
 * properties such as `length` are not reachable through paths, and holes left by deleting an
 * element (or by setting past the end) count as absent.
 *
 * @param {object} container
 * @param {string|number} key
 * @returns {boolean}
 */
function hasKey(container, key) {
  if (!isObjectLike(container)) return false;
  if (Array.isArray(container)) {
    return isIndex(key) && hasOwn(container, String(key));
  }
  return hasOwn(container, String(key));
}

/**
 * Reads an own property, or returns undefined when `hasKey` says it is absent. Inherited
 * properties (`toString`, `constructor`) are never returned.
 *
 * @param {object} container
 * @param {string|number} key
 * @returns {unknown}
 */
function readKey(container, key) {
  return hasKey(container, key) ? container[key] : undefined;
}

/**
 * The children of a container as `[segment, value]` pairs, in iteration order. Array elements
 * get numeric segments and holes are skipped; plain objects give their own enumerable string
 * keys. Leaves have no children.
 *
 * @param {unknown} node
 * @returns {Array<[string|number, unknown]>}
 */
function childEntries(node) {
  const entries = [];
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (hasKey(node, i)) entries.push([i, node[i]]);
    }
  } else if (isPlainObject(node)) {
    for (const key of Object.keys(node)) entries.push([key, node[key]]);
  }
  return entries;
}

/**
 * Normalises a segment for use as a concrete path step inside `container`: array elements are
 * addressed by number, object properties by string.
 *
 * @param {object} container
 * @param {string|number} key
 * @returns {string|number}
 */
function concreteSegment(container, key) {
  return Array.isArray(container) && isIndex(key) ? Number(key) : String(key);
}

/**
 * Resolves a path segment against a container. Negative numeric segments count from the end of
 * an array (`-1` is the last element); on other objects a numeric segment is just a key.
 *
 * @param {object} container
 * @param {string|number} segment
 * @returns {string|number|undefined}  The key to use, or undefined when a negative index falls
 *   before the start of the array.
 */
function resolveKey(container, segment) {
  if (typeof segment === 'number' && segment < 0) {
    if (!Array.isArray(container)) return String(segment);
    const index = container.length + segment;
    return index >= 0 ? index : undefined;
  }
  return segment;
}

/**
 * Throws when `key` would write to an object's prototype chain.
 *
 * @param {string|number} key
 * @param {string} path  For the error message.
 */
function assertSafeKey(key, path) {
  if (typeof key === 'string' && UNSAFE_KEYS.has(key)) {
    throw new PathError(`Refusing to write unsafe key ${JSON.stringify(key)} in path ${JSON.stringify(path)}`, path);
  }
}

/**
 * A short description of a value's type for error messages: "null", "array", "number", ...
 *
 * @param {unknown} value
 * @returns {string}
 */
function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

module.exports = {
  UNSAFE_KEYS,
  hasOwn,
  isObjectLike,
  isPlainObject,
  isContainer,
  isIndex,
  hasKey,
  readKey,
  childEntries,
  concreteSegment,
  resolveKey,
  assertSafeKey,
  typeName,
};
