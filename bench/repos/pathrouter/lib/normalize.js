'use strict';

/**
 * URL splitting and path normalisation.
 *
 * Paths are normalised so that equivalent spellings route the same way:
 * repeated slashes collapse, `.` and `..` segments are resolved (never above
 * the root), percent-encoding is canonicalised (upper-case hex digits,
 * unreserved characters decoded, everything else kept encoded) and characters
 * that may not appear raw in a path are encoded.
 *
 * Reserved characters such as an encoded slash (`%2F`) stay encoded here, so
 * they can never change how a path splits into segments.
 * @module pathrouter/normalize
 */

const { RouterError, assertString } = require('./util');

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Runs of characters that are not allowed raw in a path segment (RFC 3986 pchar, plus `%`). */
const NOT_PCHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@%]+/g;
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * Split a request target into its path, query string and fragment.
 * An absolute URL (`https://host/path`) has its scheme and authority dropped.
 * @param {string} url e.g. `/users/42?tab=posts#top`
 * @returns {{ path: string, query: string, hash: string }} query and hash without their `?` / `#`
 */
function splitUrl(url) {
  assertString(url, 'url');
  let rest = url;
  let hash = '';
  let query = '';
  const hashAt = rest.indexOf('#');
  if (hashAt !== -1) {
    hash = rest.slice(hashAt + 1);
    rest = rest.slice(0, hashAt);
  }
  const queryAt = rest.indexOf('?');
  if (queryAt !== -1) {
    query = rest.slice(queryAt + 1);
    rest = rest.slice(0, queryAt);
  }
  const authority = SCHEME_AND_AUTHORITY.exec(rest);
  if (authority) rest = rest.slice(authority[0].length);
  return { path: rest === '' ? '/' : rest, query, hash };
}

/**
 * Canonicalise the percent-encoding of one path segment.
 * @param {string} segment a raw segment, without slashes
 * @returns {string}
 * @throws {RouterError} `ERR_MALFORMED_PATH` on a `%` not followed by two hex digits
 */
function normalizeSegment(segment) {
  let encoded;
  try {
    encoded = segment.replace(NOT_PCHAR, (run) => encodeURIComponent(run));
  } catch {
    throw new RouterError(`Path segment "${segment}" contains an unpaired surrogate`, 'ERR_MALFORMED_PATH');
  }
  if (!encoded.includes('%')) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = encoded.slice(i + 1, i + 3);
    if (!HEX_PAIR.test(hex)) {
      throw new RouterError(`Malformed percent-encoding in path segment "${segment}"`, 'ERR_MALFORMED_PATH');
    }
    const decoded = String.fromCharCode(parseInt(hex, 16));
    out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/**
 * Normalise a URL path (no query string or fragment).
 *
 * - an empty path, or one without a leading slash, is treated as rooted;
 * - repeated slashes collapse into one;
 * - `.` segments are dropped and `..` removes the previous segment, never going above `/`;
 * - percent-encoding is canonicalised (see {@link normalizeSegment});
 * - a trailing slash is dropped unless `keepTrailingSlash` is set. A path ending in a
 *   dot segment (`/a/b/..`) counts as ending in a slash, as in RFC 3986.
 *
 * @param {string} path
 * @param {{ keepTrailingSlash?: boolean }} [options]
 * @returns {string} always starts with `/`
 * @throws {RouterError} `ERR_MALFORMED_PATH` for invalid percent-encoding
 */
function normalizePath(path, options = {}) {
  assertString(path, 'path');
  const keepTrailingSlash = Boolean(options.keepTrailingSlash);
  const raw = path.split('/');
  const out = [];
  let trailing = false;
  for (const part of raw) {
    if (part === '') continue;
    const segment = normalizeSegment(part);
    trailing = false;
    if (segment === '.') {
      trailing = true;
    } else if (segment === '..') {
      out.pop();
      trailing = true;
    } else {
      out.push(segment);
    }
  }
  if (path.endsWith('/')) trailing = true;
  if (out.length === 0) return '/';
  const result = '/' + out.join('/');
  return keepTrailingSlash && trailing ? result + '/' : result;
}

/**
 * Split a normalised path into its segments. A trailing slash yields a final
 * empty segment; the root path yields none.
 * @param {string} normalizedPath output of {@link normalizePath}
 * @returns {string[]}
 */
function splitSegments(normalizedPath) {
  assertString(normalizedPath, 'path');
  if (normalizedPath === '/' || normalizedPath === '') return [];
  const body = normalizedPath.startsWith('/') ? normalizedPath.slice(1) : normalizedPath;
  return body.split('/');
}

/**
 * The same path with its trailing slash added or removed. The root is returned unchanged.
 * @param {string} normalizedPath
 * @returns {string}
 */
function toggleTrailingSlash(normalizedPath) {
  if (normalizedPath === '/') return normalizedPath;
  return normalizedPath.endsWith('/') ? normalizedPath.slice(0, -1) : normalizedPath + '/';
}

module.exports = {
  splitUrl,
  normalizeSegment,
  normalizePath,
  splitSegments,
  toggleTrailingSlash,
};
