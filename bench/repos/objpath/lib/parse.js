'use strict';

/**
 * Path syntax.
 *
 *   users[0].name            dot and bracket notation
 *   users[-1]                negative indices count from the end of an array
 *   ["first name"]['x.y']    quoted keys, single or double quotes, with \\ \" \' \n \r \t \uXXXX escapes
 *   items.*.id   items[*]    one-level wildcard (query patterns only)
 *   **.id                    any depth, including zero levels (query patterns only)
 *   users[0,2]  ["a","b"]    unions of keys or indices (query patterns only)
 *
 * A path parses to an array of segments: strings for keys and (possibly negative) integers for
 * bracketed indices.
 * The empty string is the root path and parses to [].
 */

const { PathError, syntaxError } = require('./errors');
const { isIndex } = require('./util');

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DIGITS = /[0-9]/;
const CACHE_LIMIT = 500;

/** @type {Map<string, ReadonlyArray<Token>>} */
const cache = new Map();

/**
 * @typedef {{type: 'key', value: string}
 *   | {type: 'index', value: number}
 *   | {type: 'wildcard'}
 *   | {type: 'globstar'}
 *   | {type: 'union', members: Array<{type: 'key', value: string} | {type: 'index', value: number}>}} Token
 */

/**
 * Whether `ch` may appear in an unquoted (dot notation) key.
 *
 * @param {string} ch
 * @returns {boolean}
 */
function isKeyChar(ch) {
  return !'.[]\'"\\*'.includes(ch) && !/\s/.test(ch);
}

/**
 * Reads a quoted key starting at the opening quote.
 *
 * @param {string} path
 * @param {number} start  Index of the opening quote.
 * @returns {{value: string, end: number}}  The unescaped key and the index just past the closing quote.
 */
function readQuoted(path, start) {
  const quote = path[start];
  let out = '';
  let i = start + 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '\\') {
      const next = path[i + 1];
      if (next === undefined) break;
      if (next === '\\' || next === '"' || next === "'") {
        out += next;
        i += 2;
      } else if (next === 'n' || next === 'r' || next === 't') {
        out += next === 'n' ? '\n' : next === 'r' ? '\r' : '\t';
        i += 2;
      } else if (next === 'u') {
        const hex = path.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw syntaxError(path, i + 2, 'four hex digits after \\u');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        throw syntaxError(path, i + 1, 'an escape sequence (\\\\, \\", \\\', \\n, \\r, \\t or \\uXXXX)');
      }
      continue;
    }
    if (ch === quote) return { value: out, end: i + 1 };
    out += ch;
    i++;
  }
  throw new PathError(`Unterminated quoted key starting at position ${start} in path ${JSON.stringify(path)}`, path, start);
}

/**
 * Reads one item inside brackets: an index, a quoted key or `*`.
 *
 * @param {string} path
 * @param {number} start
 * @returns {{token: Token, end: number}}
 */
function readBracketItem(path, start) {
  const ch = path[start];
  if (ch === '"' || ch === "'") {
    const { value, end } = readQuoted(path, start);
    return { token: { type: 'key', value }, end };
  }
  if (ch === '*') return { token: { type: 'wildcard' }, end: start + 1 };
  if (ch === '-' || (ch !== undefined && DIGITS.test(ch))) {
    const negative = ch === '-';
    let end = negative ? start + 1 : start;
    while (end < path.length && DIGITS.test(path[end])) end++;
    const digits = path.slice(negative ? start + 1 : start, end);
    if (digits === '') throw syntaxError(path, end, 'digits after "-"');
    if (!isIndex(digits) || (negative && digits === '0')) {
      const text = path.slice(start, end);
      throw new PathError(`Invalid array index ${JSON.stringify(text)} at position ${start} in path ${JSON.stringify(path)}`, path, start);
    }
    return { token: { type: 'index', value: negative ? -Number(digits) : Number(digits) }, end };
  }
  throw syntaxError(path, start, 'an index, a quoted key or *');
}

/**
 * Reads a bracket group starting at `[`: a single item, or a comma separated union.
 *
 * @param {string} path
 * @param {number} start  Index of the opening bracket.
 * @returns {{token: Token, end: number}}
 */
function readBracket(path, start) {
  const items = [];
  let i = skipSpaces(path, start + 1);
  for (;;) {
    const item = readBracketItem(path, i);
    items.push({ token: item.token, position: i });
    i = skipSpaces(path, item.end);
    if (path[i] === ',') {
      i = skipSpaces(path, i + 1);
      continue;
    }
    if (path[i] !== ']') throw syntaxError(path, i, items.length > 1 ? '"," or "]"' : '"]"');
    break;
  }
  if (items.length === 1) return { token: items[0].token, end: i + 1 };
  for (const item of items) {
    if (item.token.type === 'wildcard') throw syntaxError(path, item.position, 'an index or a quoted key inside a union');
  }
  return { token: { type: 'union', members: items.map((item) => item.token) }, end: i + 1 };
}

/**
 * @param {string} path
 * @param {number} i
 * @returns {number}  The first index at or after `i` that is not a space.
 */
function skipSpaces(path, i) {
  while (path[i] === ' ') i++;
  return i;
}

/**
 * Reads an unquoted key, `*` or `**` starting at `start`.
 *
 * @param {string} path
 * @param {number} start
 * @returns {{token: Token, end: number}}
 */
function readName(path, start) {
  if (path[start] === '*') {
    const globstar = path[start + 1] === '*';
    const end = start + (globstar ? 2 : 1);
    if (end < path.length && path[end] !== '.' && path[end] !== '[') {
      throw syntaxError(path, end, '"." or "[" after a wildcard (partial wildcards are not supported)');
    }
    return { token: { type: globstar ? 'globstar' : 'wildcard' }, end };
  }
  let end = start;
  while (end < path.length && isKeyChar(path[end])) end++;
  if (end === start) throw syntaxError(path, start, 'a key');
  if (path[end] === '*') throw syntaxError(path, end, 'a key character (partial wildcards are not supported)');
  return { token: { type: 'key', value: path.slice(start, end) }, end };
}

/**
 * Splits a path string into tokens. Results are cached and frozen.
 *
 * @param {string} path
 * @returns {ReadonlyArray<Token>}
 */
function tokenize(path) {
  const cached = cache.get(path);
  if (cached) return cached;

  const tokens = [];
  let i = 0;
  while (i < path.length) {
    let result;
    if (path[i] === '[') {
      result = readBracket(path, i);
    } else if (tokens.length === 0) {
      result = readName(path, i);
    } else if (path[i] === '.') {
      result = readName(path, i + 1);
    } else {
      throw syntaxError(path, i, '"." or "["');
    }
    tokens.push(Object.freeze(result.token));
    i = result.end;
  }

  const frozen = Object.freeze(tokens);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, frozen);
  return frozen;
}

/**
 * Validates an array of segments given instead of a path string.
 *
 * @param {unknown[]} segments
 * @returns {Array<string|number>}  A copy.
 */
function checkSegments(segments) {
  return segments.map((segment, i) => {
    if (typeof segment === 'string') return segment;
    if (typeof segment === 'number' && Number.isSafeInteger(segment)) return segment;
    throw new TypeError(`Path segment ${i} must be a string or an integer, got ${String(segment)}`);
  });
}

/**
 * Parses a concrete path (no wildcards or unions) into segments.
 *
 * @param {string|number|Array<string|number>} path  A path string, a single index, or an array
 *   of segments (copied and validated, never parsed: `['a.b']` is one key).
 * @returns {Array<string|number>}
 * @throws {PathError} on malformed paths or wildcards.
 * @throws {TypeError} on anything that is not a path.
 */
function parsePath(path) {
  if (Array.isArray(path)) return checkSegments(path);
  if (typeof path === 'number') return checkSegments([path]);
  if (typeof path !== 'string') throw new TypeError(`Path must be a string or an array of segments, got ${typeof path}`);
  return tokenize(path).map((token) => {
    if (token.type === 'key' || token.type === 'index') return token.value;
    throw new PathError(`Wildcards and unions are only allowed in query patterns, got ${JSON.stringify(path)}`, path);
  });
}

/**
 * Parses a query pattern into tokens. Arrays of segments are accepted and match literally.
 *
 * @param {string|Array<string|number>} pattern
 * @returns {ReadonlyArray<Token>}
 */
function parsePattern(pattern) {
  if (Array.isArray(pattern)) {
    return checkSegments(pattern).map((segment) =>
      typeof segment === 'number' ? { type: 'index', value: segment } : { type: 'key', value: segment }
    );
  }
  if (typeof pattern !== 'string') throw new TypeError(`Pattern must be a string or an array of segments, got ${typeof pattern}`);
  return tokenize(pattern);
}

/**
 * Quotes a key for bracket notation, escaping backslashes, double quotes and control characters.
 *
 * @param {string} key
 * @returns {string}
 */
function quoteKey(key) {
  const escaped = key.replace(/[\\"\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === '\\' || ch === '"') return '\\' + ch;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
  });
  return `"${escaped}"`;
}

/**
 * Formats segments as a path string that `parsePath` reads back to the same segments.
 * Identifier-like keys use dot notation, every other key is quoted in brackets.
 *
 * @param {Array<string|number>} segments
 * @returns {string}
 */
function stringifyPath(segments) {
  if (!Array.isArray(segments)) throw new TypeError('stringifyPath expects an array of segments');
  let out = '';
  for (const segment of checkSegments(segments)) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${quoteKey(segment)}]`;
  }
  return out;
}

module.exports = { tokenize, parsePath, parsePattern, stringifyPath, quoteKey };
