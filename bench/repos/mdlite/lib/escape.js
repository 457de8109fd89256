'use strict';

/**
 * Escaping for everything that ends up in HTML: text, attribute values and URLs.
 * mdlite never passes raw HTML through; every character of the input is escaped somewhere in here.
 * @module mdlite/escape
 */

const { assertString } = require('./utils');

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const HTML_ESCAPE_RE = /[&<>"]/g;
const BACKSLASH_ESCAPE_RE = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g;
const HEX_PAIR_RE = /^[0-9A-Fa-f]{2}$/;
/** Characters left as they are in a URL: unreserved and reserved characters of RFC 3986. */
const URL_SAFE_RE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]/;
const UNSAFE_SCHEME_RE = /^(?:javascript|vbscript|file|data):/i;
const SAFE_DATA_URL_RE = /^data:image\/(?:png|gif|jpeg|webp);/i;

/**
 * Escapes the characters that are special in HTML text and in double-quoted attribute values.
 * @param {string} text
 * @returns {string}
 */
function escapeHtml(text) {
  assertString(text, 'text');
  return text.replace(HTML_ESCAPE_RE, (ch) => HTML_ESCAPES[ch]);
}

/**
 * Resolves Markdown backslash escapes: "\*" becomes "*". A backslash before anything but ASCII
 * punctuation is an ordinary character.
 * @param {string} text
 * @returns {string}
 */
function unescapeMarkdown(text) {
  return text.replace(BACKSLASH_ESCAPE_RE, '$1');
}

/**
 * @param {string} text
 * @param {number} index  where the two hex digits would start
 * @returns {boolean}
 */
function isHexPair(text, index) {
  return HEX_PAIR_RE.test(text.slice(index, index + 2));
}

/**
 * Percent-encodes the characters of a link destination that may not appear in a URL (spaces, non-ASCII,
 * quotes, ...). Escapes that are already there ("%20") are kept as they are, so encoding is idempotent;
 * a "%" that does not start an escape becomes "%25".
 * @param {string} url
 * @returns {string}
 */
function encodeUrl(url) {
  assertString(url, 'url');
  let out = '';
  for (let i = 0; i < url.length; i += 1) {
    const ch = url[i];
    if (ch === '%') {
      if (isHexPair(url, i + 1)) {
        out += url.slice(i, i + 3);
        i += 2;
      } else {
        out += '%25';
      }
      continue;
    }
    if (URL_SAFE_RE.test(ch)) {
      out += ch;
      continue;
    }
    const code = url.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = url.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += encodeURIComponent(ch + url[i + 1]);
        i += 1;
        continue;
      }
      out += '%EF%BF%BD';
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += '%EF%BF%BD';
      continue;
    }
    out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * Whether a link destination is safe to put in an href: javascript:, vbscript:, file: and data: URLs are
 * not (except data: images). Browsers ignore whitespace and control characters inside a scheme, so this
 * does too.
 * @param {string} url
 * @returns {boolean}
 */
function isSafeUrl(url) {
  assertString(url, 'url');
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, '');
  return !UNSAFE_SCHEME_RE.test(compact) || SAFE_DATA_URL_RE.test(compact);
}

/**
 * Produces the value of an href attribute: encoded, HTML-escaped, and replaced by "#" when it is unsafe
 * and `safeLinks` is on.
 * @param {string} url
 * @param {{safeLinks?: boolean}} [options]
 * @returns {string}
 */
function hrefAttribute(url, options = {}) {
  if (options.safeLinks !== false && !isSafeUrl(url)) return '#';
  return escapeHtml(encodeUrl(url));
}

module.exports = { escapeHtml, unescapeMarkdown, encodeUrl, isSafeUrl, hrefAttribute };
