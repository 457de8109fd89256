'use strict';

/**
 * Route patterns, compiled to segment matchers.
 *
 * Pattern syntax, one item per path segment:
 *
 * | segment        | meaning                                              |
 * |----------------|------------------------------------------------------|
 * | `users`        | a static segment                                     |
 * | `:id`          | a named parameter (one non-empty segment)            |
 * | `:id(\\d+)`    | a parameter whose decoded value must match a regexp  |
 * | `:page?`       | an optional parameter; only optional parameters may follow it |
 * | `*` / `*path`  | a wildcard: the rest of the path, zero or more segments; last only |
 *
 * @module pathrouter/pattern
 */

const { RouterError, assertString, tryDecode, scalarToString } = require('./util');
const { normalizeSegment, normalizePath, splitSegments } = require('./normalize');

const PARAM = /^:([A-Za-z_$][\w$]*)(?:\((.+)\))?(\?)?$/;
const WILDCARD = /^\*([A-Za-z_$][\w$]*)?$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Priority of each kind of segment; higher wins. A static segment beats a
 * constrained parameter, which beats a plain one, then an optional one, then a wildcard.
 */
const RANK = Object.freeze({ static: 4, constrained: 3, param: 2, optional: 1, wildcard: 0 });
/** Rank given to "no segment here", so that the shorter of two otherwise equal patterns wins. */
const RANK_END = 5;

/**
 * @typedef {object} Token
 * @property {'static' | 'param' | 'wildcard'} type
 * @property {string} [value] static: the segment as compared (lower-cased when case-insensitive)
 * @property {string} [raw] static: the segment as written, normalised
 * @property {string} [name] param / wildcard: the parameter name
 * @property {boolean} [optional] param: may be absent
 * @property {RegExp | null} [constraint] param: the decoded value must match
 */

function invalid(pattern, why) {
  return new RouterError(`Invalid route pattern "${pattern}": ${why}`, 'ERR_INVALID_PATTERN');
}

/**
 * Parse one pattern segment into a token.
 * @param {string} segment
 * @param {string} pattern the whole pattern, for error messages
 * @param {boolean} caseSensitive
 * @returns {Token}
 */
function parseSegment(segment, pattern, caseSensitive) {
  if (segment.startsWith(':')) {
    const m = PARAM.exec(segment);
    if (!m) throw invalid(pattern, `bad parameter "${segment}"`);
    let constraint = null;
    if (m[2] !== undefined) {
      try {
        constraint = new RegExp(`^(?:${m[2]})$`);
      } catch (err) {
        throw invalid(pattern, `bad constraint for "${m[1]}": ${err.message}`);
      }
    }
    return { type: 'param', name: m[1], optional: m[3] === '?', constraint };
  }
  if (segment.startsWith('*')) {
    const m = WILDCARD.exec(segment);
    if (!m) throw invalid(pattern, `bad wildcard "${segment}"`);
    return { type: 'wildcard', name: m[1] || '*' };
  }
  if (segment === '.' || segment === '..') throw invalid(pattern, 'dot segments are not allowed');
  let raw;
  try {
    raw = normalizeSegment(segment);
  } catch (err) {
    throw invalid(pattern, err.message);
  }
  return { type: 'static', raw, value: caseSensitive ? raw : raw.toLowerCase() };
}

/**
 * Rank of a token, see {@link RANK}.
 * @param {Token} token
 * @returns {number}
 */
function rankOf(token) {
  if (token.type === 'static') return RANK.static;
  if (token.type === 'wildcard') return RANK.wildcard;
  if (token.optional) return RANK.optional;
  return token.constraint ? RANK.constrained : RANK.param;
}

/**
 * A compiled route pattern. Create with {@link compilePattern}.
 */
class CompiledPattern {
  /**
   * @param {string} source the pattern as written
   * @param {Token[]} tokens
   * @param {boolean} caseSensitive
   */
  constructor(source, tokens, caseSensitive) {
    this.source = source;
    this.tokens = tokens;
    this.caseSensitive = caseSensitive;
    /** Parameter names, in order. */
    this.keys = tokens.filter((t) => t.type !== 'static').map((t) => t.name);
    /** Per-segment priority ranks, compared by {@link comparePatterns}. */
    this.ranks = tokens.map(rankOf);
    const wildcard = tokens.length > 0 && tokens[tokens.length - 1].type === 'wildcard';
    this.minSegments = tokens.filter((t) => t.type === 'static' || (t.type === 'param' && !t.optional)).length;
    this.maxSegments = wildcard ? Infinity : tokens.length;
    /** A canonical form: two patterns with the same key match exactly the same paths. */
    this.key = tokens
      .map((t) => {
        if (t.type === 'static') return t.value;
        if (t.type === 'wildcard') return '*';
        return `:${t.constraint ? t.constraint.source : ''}${t.optional ? '?' : ''}`;
      })
      .join('/');
  }

  /**
   * Match path segments (from `splitSegments`) against this pattern.
   * Parameter values are percent-decoded; a segment that does not decode does not match.
   * @param {string[]} segments
   * @returns {Record<string, string> | null} the parameters, or null when it does not match
   */
  match(segments) {
    if (segments.length < this.minSegments || segments.length > this.maxSegments) return null;
    const params = {};
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token.type === 'wildcard') {
        const parts = [];
        for (const segment of segments.slice(i)) {
          const decoded = tryDecode(segment);
          if (decoded === null) return null;
          parts.push(decoded);
        }
        params[token.name] = parts.join('/');
        return params;
      }
      if (i >= segments.length) break; // only optional parameters remain
      const segment = segments[i];
      if (token.type === 'static') {
        const candidate = this.caseSensitive ? segment : segment.toLowerCase();
        if (candidate !== token.value) return null;
        continue;
      }
      if (segment === '') return null;
      const value = tryDecode(segment);
      if (value === null) return null;
      if (token.constraint && !token.constraint.test(value)) return null;
      params[token.name] = value;
    }
    return params;
  }

  /**
   * Build a path from parameter values: the reverse of {@link CompiledPattern#match}.
   *
   * Values are percent-encoded (a `/` inside a parameter becomes `%2F`); a wildcard
   * takes a string whose slashes are kept, or an array of segments. Optional
   * parameters may be left out, but only from the end. Values that would not
   * survive normalisation (`''`, `.`, `..`) are rejected.
   * @param {Record<string, unknown>} [params]
   * @returns {string}
   * @throws {RouterError} `ERR_MISSING_PARAM` / `ERR_INVALID_PARAM`
   */
  build(params = {}) {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new TypeError('params must be an object');
    }
    const parts = [];
    let omitted = null;
    for (const token of this.tokens) {
      if (token.type === 'static') {
        parts.push(token.raw);
        continue;
      }
      const value = Object.prototype.hasOwnProperty.call(params, token.name) ? params[token.name] : undefined;
      if (token.type === 'wildcard') {
        if (value === undefined || value === null) continue;
        const pieces = Array.isArray(value)
          ? value.map((v) => scalarToString(v, `wildcard "${token.name}"`))
          : scalarToString(value, `wildcard "${token.name}"`).split('/');
        for (const piece of pieces) {
          if (piece === '') continue;
          if (piece === '.' || piece === '..') throw this._invalidValue(token.name, piece);
          parts.push(encodeURIComponent(piece));
        }
        continue;
      }
      if (value === undefined || value === null) {
        if (!token.optional) {
          throw new RouterError(`Missing parameter "${token.name}" for route "${this.source}"`, 'ERR_MISSING_PARAM');
        }
        omitted = omitted || token.name;
        continue;
      }
      if (omitted !== null) {
        throw new RouterError(
          `Parameter "${token.name}" cannot be given when "${omitted}" before it is omitted (route "${this.source}")`,
          'ERR_MISSING_PARAM',
        );
      }
      const text = scalarToString(value, `parameter "${token.name}"`);
      // '', '.' and '..' cannot survive path normalisation, so they cannot be parameter values.
      if (text === '' || text === '.' || text === '..' || (token.constraint && !token.constraint.test(text))) {
        throw this._invalidValue(token.name, text);
      }
      parts.push(encodeURIComponent(text));
    }
    return '/' + parts.join('/');
  }

  /**
   * @param {string} name
   * @param {string} value
   * @returns {RouterError}
   */
  _invalidValue(name, value) {
    return new RouterError(`Invalid value "${value}" for parameter "${name}" of route "${this.source}"`, 'ERR_INVALID_PARAM');
  }
}

/**
 * Compile a route pattern.
 * @param {string} pattern must start with `/`
 * @param {{ caseSensitive?: boolean, strict?: boolean }} [options]
 *   `caseSensitive` (default true) compares static segments exactly;
 *   `strict` (default false) keeps a trailing slash significant.
 * @returns {CompiledPattern}
 * @throws {RouterError} `ERR_INVALID_PATTERN`
 */
function compilePattern(pattern, options = {}) {
  assertString(pattern, 'pattern');
  const caseSensitive = options.caseSensitive !== false;
  const strict = Boolean(options.strict);
  if (!pattern.startsWith('/')) throw invalid(pattern, 'it must start with "/"');
  let body = pattern.slice(1);
  let trailingSlash = false;
  if (body.endsWith('/')) {
    body = body.slice(0, -1);
    trailingSlash = strict && body !== '';
  }
  const segments = body === '' ? [] : body.split('/');
  const tokens = [];
  const names = new Set();
  let sawOptional = false;
  segments.forEach((segment, index) => {
    if (segment === '') throw invalid(pattern, 'empty segment');
    const token = parseSegment(segment, pattern, caseSensitive);
    if (token.type !== 'static') {
      if (FORBIDDEN_NAMES.has(token.name)) throw invalid(pattern, `"${token.name}" is not allowed as a parameter name`);
      if (names.has(token.name)) throw invalid(pattern, `duplicate parameter "${token.name}"`);
      names.add(token.name);
    }
    if (token.type === 'wildcard' && (index !== segments.length - 1 || trailingSlash)) {
      throw invalid(pattern, 'a wildcard must be the last segment');
    }
    if (sawOptional && !(token.type === 'param' && token.optional)) {
      throw invalid(pattern, 'only optional parameters may follow an optional parameter');
    }
    if (token.type === 'param' && token.optional) {
      if (trailingSlash) throw invalid(pattern, 'an optional parameter cannot be followed by a trailing slash');
      sawOptional = true;
    }
    tokens.push(token);
  });
  if (trailingSlash) tokens.push({ type: 'static', raw: '', value: '' });
  return new CompiledPattern(pattern, tokens, caseSensitive);
}

/**
 * Order two compiled patterns by priority: negative when `a` should be tried first.
 * Segments are compared left to right; the first difference decides. When one pattern
 * is a prefix of the other, the shorter one wins. Equal patterns compare as 0.
 * @param {CompiledPattern} a
 * @param {CompiledPattern} b
 * @returns {number}
 */
function comparePatterns(a, b) {
  const length = Math.max(a.ranks.length, b.ranks.length);
  for (let i = 0; i < length; i++) {
    const ra = i < a.ranks.length ? a.ranks[i] : RANK_END;
    const rb = i < b.ranks.length ? b.ranks[i] : RANK_END;
    if (ra !== rb) return rb - ra;
  }
  return 0;
}

/**
 * Match a single URL path against a pattern, for one-off use.
 * @param {string} pattern
 * @param {string} path
 * @param {{ caseSensitive?: boolean, strict?: boolean }} [options]
 * @returns {Record<string, string> | null}
 */
function matchPath(pattern, path, options = {}) {
  const compiled = compilePattern(pattern, options);
  const normalized = normalizePath(path, { keepTrailingSlash: Boolean(options.strict) });
  return compiled.match(splitSegments(normalized));
}

module.exports = { compilePattern, comparePatterns, matchPath, CompiledPattern, RANK };
