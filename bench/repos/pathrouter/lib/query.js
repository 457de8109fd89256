'use strict';

/**
 * Query-string parsing and building (`application/x-www-form-urlencoded` style).
 * @module pathrouter/query
 */

const { tryDecode, isPlainObject, scalarToString, typeName } = require('./util');

const DEFAULT_MAX_KEYS = 1000;

/**
 * Decode one key or value: `+` means a space; malformed percent-encoding is
 * kept as written rather than throwing.
 * @param {string} raw
 * @returns {string}
 */
function decodeComponent(raw) {
  const spaced = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  const decoded = tryDecode(spaced);
  return decoded === null ? spaced : decoded;
}

/**
 * Encode one key or value; spaces become `+`.
 * @param {string} value
 * @returns {string}
 */
function encodeComponent(value) {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * Add a value under `key`, turning repeated keys into arrays.
 * @param {Record<string, string | string[]>} target
 * @param {string} key
 * @param {string} value
 * @param {boolean} forceArray the key was written `key[]`
 */
function appendValue(target, key, value, forceArray) {
  const existing = target[key];
  if (existing === undefined) {
    target[key] = forceArray ? [value] : value;
  } else if (Array.isArray(existing)) {
    existing.push(value);
  } else {
    target[key] = [existing, value];
  }
}

/**
 * Parse a query string.
 *
 * - a leading `?` is ignored, as are empty pairs (`a=1&&b=2`);
 * - a key without `=` gets the empty string;
 * - a repeated key, or a key written `key[]`, produces an array;
 * - the result has a null prototype, so keys such as `__proto__` are plain data.
 *
 * @param {string | null | undefined} input
 * @param {{ maxKeys?: number }} [options] stop after this many pairs (default 1000; 0 = no limit)
 * @returns {Record<string, string | string[]>}
 */
function parseQuery(input, options = {}) {
  const result = Object.create(null);
  if (input === undefined || input === null) return result;
  if (typeof input !== 'string') {
    throw new TypeError(`query must be a string, got ${typeName(input)}`);
  }
  const maxKeys = options.maxKeys === undefined ? DEFAULT_MAX_KEYS : options.maxKeys;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new TypeError(`maxKeys must be a non-negative integer, got ${maxKeys}`);
  }
  const body = input.startsWith('?') ? input.slice(1) : input;
  if (body === '') return result;

  let count = 0;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    if (maxKeys !== 0 && count >= maxKeys) break;
    count++;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let key = decodeComponent(rawKey);
    let forceArray = false;
    if (key.length > 2 && key.endsWith('[]')) {
      key = key.slice(0, -2);
      forceArray = true;
    }
    if (key === '') continue;
    appendValue(result, key, decodeComponent(rawValue), forceArray);
  }
  return result;
}

/**
 * Build a query string (without the leading `?`).
 *
 * - `undefined` and `null` values are skipped;
 * - arrays repeat the key once per element (an empty array adds nothing);
 * - numbers, bigints and booleans are converted with `String()`;
 * - nested objects are rejected.
 *
 * @param {Record<string, unknown>} params
 * @param {{ sort?: boolean }} [options] `sort: true` orders keys alphabetically
 * @returns {string}
 */
function buildQuery(params, options = {}) {
  if (!isPlainObject(params)) {
    throw new TypeError(`query params must be a plain object, got ${typeName(params)}`);
  }
  const keys = Object.keys(params);
  if (options.sort) keys.sort();
  const parts = [];
  for (const key of keys) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      const text = scalarToString(item, `query value for "${key}"`);
      parts.push(`${encodeComponent(key)}=${encodeComponent(text)}`);
    }
  }
  return parts.join('&');
}

module.exports = { parseQuery, buildQuery, decodeComponent, encodeComponent };
