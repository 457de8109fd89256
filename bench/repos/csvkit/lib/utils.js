'use strict';

/**
 * Small helpers shared by the dialect, parser and stringifier modules. Nothing here knows about CSV itself.
 */

/**
 * True for objects created by `{}`, `Object.create(null)` or `new Object()`: not arrays, dates, class instances.
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * True when `value` is a string of exactly one UTF-16 code unit.
 * @param {unknown} value
 * @returns {value is string}
 */
function isSingleChar(value) {
  return typeof value === 'string' && value.length === 1;
}

/**
 * `Object.prototype.hasOwnProperty`, safe for objects without a prototype.
 * @param {object} object
 * @param {PropertyKey} key
 */
function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * A short, readable description of a value for error messages: strings are quoted, objects named by kind.
 * @param {unknown} value
 * @returns {string}
 */
function describeValue(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Date) return 'a Date';
  return `a value of type ${typeof value}`;
}

/**
 * The first name that occurs twice in `names`, ignoring `null` entries (skipped columns); `undefined` if none.
 * @param {ReadonlyArray<string | null>} names
 * @returns {string | undefined}
 */
function findDuplicate(names) {
  const seen = new Set();
  for (const name of names) {
    if (name === null) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/**
 * Builds an object from parallel key and value lists. Keys that are `null` are skipped. Uses
 * `Object.fromEntries`, so a key such as "__proto__" becomes an ordinary own property instead of
 * replacing the object's prototype.
 * @param {ReadonlyArray<string | null>} keys
 * @param {ReadonlyArray<unknown>} values
 * @returns {Record<string, unknown>}
 */
function zipObject(keys, values) {
  const entries = [];
  const count = Math.min(keys.length, values.length);
  for (let i = 0; i < count; i++) {
    if (keys[i] !== null) entries.push([keys[i], values[i]]);
  }
  return Object.fromEntries(entries);
}

module.exports = { isPlainObject, isSingleChar, hasOwn, describeValue, findDuplicate, zipObject };
