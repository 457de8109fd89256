'use strict';

/**
 * flatten / unflatten: convert between nested structures and flat `{ "a.b[0]": value }` maps whose
 * keys are path strings.
 */

const { PathError } = require('./errors');
const { parsePath, stringifyPath } = require('./parse');
const { set } = require('./access');
const { isContainer, isPlainObject, childEntries } = require('./util');

/**
 * A fresh empty container of the same kind, used for empty leaves.
 *
 * @param {object} value
 * @returns {object}
 */
function emptyLike(value) {
  return Array.isArray(value) ? [] : {};
}

/**
 * Validates flatten's options and fills in defaults.
 *
 * @param {unknown} options
 * @returns {{maxDepth: number, keepEmpty: boolean}}
 */
function normalizeOptions(options) {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new TypeError('flatten options must be a plain object');
  const { maxDepth = Infinity, keepEmpty = true } = options;
  if (maxDepth !== Infinity && !(Number.isInteger(maxDepth) && maxDepth >= 1)) {
    throw new RangeError(`maxDepth must be a positive integer or Infinity, got ${String(maxDepth)}`);
  }
  if (typeof keepEmpty !== 'boolean') throw new TypeError('keepEmpty must be a boolean');
  return { maxDepth, keepEmpty };
}

/**
 * Flattens arrays and plain objects into a map from path strings to leaf values. Other objects
 * (dates, class instances, maps) are leaves and kept by reference.
 *
 * @param {object} obj  An array or plain object.
 * @param {object} [options]
 * @param {number} [options.maxDepth=Infinity]  Stop descending below this many levels; deeper
 *   containers become values.
 * @param {boolean} [options.keepEmpty=true]  Keep empty objects and arrays as `{}` / `[]` values,
 *   so that `unflatten(flatten(x))` rebuilds them.
 * @returns {Record<string, unknown>}
 * @throws {TypeError} for circular structures.
 *
 * @example
 * flatten({ a: { b: 1 }, c: [2, { d: 3 }] })
 * // { 'a.b': 1, 'c[0]': 2, 'c[1].d': 3 }
 */
function flatten(obj, options) {
  if (!isContainer(obj)) throw new TypeError('flatten() expects an array or a plain object');
  const { maxDepth, keepEmpty } = normalizeOptions(options);
  const out = {};
  const ancestors = new Set();
  const segments = [];

  const visit = (node) => {
    if (ancestors.has(node)) {
      throw new TypeError(`Cannot flatten a circular structure (at ${JSON.stringify(stringifyPath(segments))})`);
    }
    ancestors.add(node);
    for (const [segment, child] of childEntries(node)) {
      segments.push(segment);
      if (!isContainer(child) || segments.length >= maxDepth) {
        out[stringifyPath(segments)] = child;
      } else if (childEntries(child).length === 0) {
        if (keepEmpty) out[stringifyPath(segments)] = emptyLike(child);
      } else {
        visit(child);
      }
      segments.pop();
    }
    ancestors.delete(node);
  };

  visit(obj);
  return out;
}

/**
 * Rebuilds a nested structure from a flat map produced by `flatten` (or written by hand). The
 * result is an array when every key starts with an index, a plain object otherwise. Keys are
 * applied in order, so a later key wins over an earlier one for the same path.
 *
 * @param {Record<string, unknown>} flat
 * @returns {object}
 * @throws {PathError} for malformed keys, the empty key, unsafe keys and conflicting keys
 *   (such as `a` holding a number and `a.b`).
 */
function unflatten(flat) {
  if (!isPlainObject(flat)) throw new TypeError('unflatten() expects a plain object');
  const entries = Object.keys(flat).map((key) => {
    const segments = parsePath(key);
    if (segments.length === 0) throw new PathError('unflatten() cannot take the empty path as a key', key);
    return [segments, flat[key]];
  });
  const root = entries.length > 0 && entries.every(([segments]) => typeof segments[0] === 'number') ? [] : {};
  for (const [segments, value] of entries) {
    // Copy empty containers so that later keys never write into the caller's objects.
    const leaf = isContainer(value) && childEntries(value).length === 0 ? emptyLike(value) : value;
    set(root, segments, leaf);
  }
  return root;
}

module.exports = { flatten, unflatten };
