'use strict';

/**
 * get / set / has / del on nested objects and arrays.
 *
 * Only own properties are followed: `get({}, 'toString')` is undefined and `has({}, 'constructor')`
 * is false. Arrays expose their elements only, and holes count as missing.
 */

const { PathError } = require('./errors');
const { parsePath, stringifyPath } = require('./parse');
const { isObjectLike, isIndex, hasKey, resolveKey, assertSafeKey, typeName } = require('./util');

/**
 * Follows `segments` from `root`.
 *
 * @param {unknown} root
 * @param {Array<string|number>} segments
 * @returns {{found: boolean, value: unknown}}  `found` is false as soon as a step is missing.
 */
function walk(root, segments) {
  let current = root;
  for (const segment of segments) {
    const key = isObjectLike(current) ? resolveKey(current, segment) : undefined;
    if (key === undefined || !hasKey(current, key)) return { found: false, value: undefined };
    current = current[key];
  }
  return { found: true, value: current };
}

/**
 * A printable form of the path a caller passed, for error messages.
 *
 * @param {unknown} path
 * @param {Array<string|number>} segments
 * @returns {string}
 */
function describePath(path, segments) {
  return typeof path === 'string' ? path : stringifyPath(segments);
}

/**
 * Reads the value at `path`.
 *
 * @param {unknown} obj
 * @param {string|number|Array<string|number>} path
 * @param {unknown} [defaultValue]  Returned when the path does not exist or holds `undefined`.
 * @returns {unknown}
 *
 * @example
 * get({ a: [{ b: 1 }] }, 'a[0].b')      // 1
 * get({ a: null }, 'a.b', 'none')       // 'none'
 */
function get(obj, path, defaultValue) {
  const { found, value } = walk(obj, parsePath(path));
  return found && value !== undefined ? value : defaultValue;
}

/**
 * Whether every step of `path` exists as an own property. The root path always exists.
 *
 * @param {unknown} obj
 * @param {string|number|Array<string|number>} path
 * @returns {boolean}
 */
function has(obj, path) {
  return walk(obj, parsePath(path)).found;
}

/**
 * Writes `value` at `path`, creating missing containers on the way: an array when the next
 * segment is a bracketed index, a plain object otherwise. `null` and `undefined` along the path
 * are replaced; any other non-object value is an error rather than being silently overwritten.
 *
 * @param {object} obj  Mutated in place.
 * @param {string|number|Array<string|number>} path
 * @param {unknown} value
 * @returns {object}  `obj`.
 * @throws {PathError} for the root path, unsafe keys (`__proto__`, `constructor`, `prototype`),
 *   non-index keys on arrays, out-of-range negative indices, and paths through primitives.
 */
function set(obj, path, value) {
  if (!isObjectLike(obj)) throw new TypeError(`set() needs an object or array to write into, got ${typeName(obj)}`);
  const segments = parsePath(path);
  const label = describePath(path, segments);
  if (segments.length === 0) throw new PathError('Cannot set the root path', label);
  for (const segment of segments) assertSafeKey(segment, label);

  let current = obj;
  for (let i = 0; i < segments.length; i++) {
    const key = resolveKey(current, segments[i]);
    const here = stringifyPath(segments.slice(0, i + 1));
    if (key === undefined) {
      throw new PathError(`Index ${segments[i]} is out of range at ${JSON.stringify(here)} in path ${JSON.stringify(label)}`, label);
    }
    if (Array.isArray(current) && !isIndex(key)) {
      throw new PathError(`Cannot use key ${JSON.stringify(key)} on an array at ${JSON.stringify(here)} in path ${JSON.stringify(label)}`, label);
    }
    if (i === segments.length - 1) {
      current[key] = value;
      break;
    }
    let next = hasKey(current, key) ? current[key] : undefined;
    if (next === undefined || next === null) {
      next = typeof segments[i + 1] === 'number' ? [] : {};
      current[key] = next;
    } else if (!isObjectLike(next)) {
      throw new PathError(`Cannot set ${JSON.stringify(label)}: ${JSON.stringify(here)} holds a ${typeName(next)}`, label);
    }
    current = next;
  }
  return obj;
}

/**
 * Deletes the property at `path`. Array elements are deleted in place and leave a hole: nothing
 * is shifted, and the array keeps its length.
 *
 * @param {unknown} obj
 * @param {string|number|Array<string|number>} path
 * @returns {boolean}  true when something was deleted, false when the path did not exist.
 */
function del(obj, path) {
  const segments = parsePath(path);
  if (segments.length === 0) throw new PathError('Cannot delete the root path', describePath(path, segments));
  const parent = walk(obj, segments.slice(0, -1));
  if (!parent.found || !isObjectLike(parent.value)) return false;
  const key = resolveKey(parent.value, segments[segments.length - 1]);
  if (key === undefined || !hasKey(parent.value, key)) return false;
  delete parent.value[key];
  return true;
}

module.exports = { walk, get, has, set, del };
