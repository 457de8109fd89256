'use strict';

/**
 * Small helpers shared by the block parser, the inline parser and the renderer.
 * Nothing in here knows about Markdown syntax beyond characters and columns.
 * @module mdlite/utils
 */

const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const UNICODE_PUNCTUATION_RE = /[\p{P}\p{S}]/u;
const UNICODE_WHITESPACE_RE = /\s/u;
const TAB_SIZE = 4;

/**
 * Describes a value's type for error messages ("null", "an array", "number", ...).
 * @param {*} value
 * @returns {string}
 */
function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Throws a TypeError unless `value` is a string.
 * @param {*} value
 * @param {string} name  the argument's name, for the message
 * @returns {string} the value, for chaining
 */
function assertString(value, name) {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${describeType(value)}`);
  }
  return value;
}

/**
 * Normalises line endings to "\n" and replaces NUL characters, which are never valid in HTML output.
 * @param {string} text
 * @returns {string}
 */
function normalizeInput(text) {
  return text.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\uFFFD');
}

/**
 * Splits a document into lines. A final line ending does not produce an extra empty line.
 * @param {string} text
 * @returns {string[]}
 */
function splitLines(text) {
  const lines = normalizeInput(text).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Expands the tabs in a line's leading whitespace to spaces, using tab stops every four columns.
 * Tabs after the first non-whitespace character are left alone (they may be content, e.g. in code).
 * @param {string} line
 * @param {number} [startColumn=0]  the column the line starts at, when it is the rest of a longer line
 * @returns {string}
 */
function expandTabs(line, startColumn = 0) {
  let column = startColumn;
  let i = 0;
  let out = '';
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) {
    if (line[i] === '\t') {
      const width = TAB_SIZE - (column % TAB_SIZE);
      out += ' '.repeat(width);
      column += width;
    } else {
      out += ' ';
      column += 1;
    }
    i += 1;
  }
  return out === '' ? line : out + line.slice(i);
}

/**
 * Measures the run of spaces and tabs at the start of `text`, which begins at column `startColumn`.
 * @param {string} text
 * @param {number} startColumn
 * @returns {{chars: number, columns: number}}  how many characters the run has and how many columns it spans
 */
function measureWhitespace(text, startColumn) {
  let column = startColumn;
  let chars = 0;
  while (chars < text.length && (text[chars] === ' ' || text[chars] === '\t')) {
    column += text[chars] === '\t' ? TAB_SIZE - (column % TAB_SIZE) : 1;
    chars += 1;
  }
  return { chars, columns: column - startColumn };
}

/**
 * @param {string} line
 * @returns {boolean} whether the line holds nothing but spaces and tabs
 */
function isBlank(line) {
  return /^[ \t]*$/.test(line);
}

/**
 * @param {string} line  a line whose leading tabs were already expanded
 * @returns {number} the number of leading spaces
 */
function leadingSpaces(line) {
  let n = 0;
  while (n < line.length && line[n] === ' ') n += 1;
  return n;
}

/**
 * Removes up to `count` leading spaces.
 * @param {string} line
 * @param {number} count
 * @returns {string}
 */
function removeIndent(line, count) {
  return line.slice(Math.min(count, leadingSpaces(line)));
}

/**
 * @param {string|undefined} ch  a single character
 * @returns {boolean} whether it is ASCII punctuation (the characters a backslash may escape)
 */
function isAsciiPunctuation(ch) {
  return ch !== undefined && ASCII_PUNCTUATION.has(ch);
}

/**
 * @param {string|undefined} ch
 * @returns {boolean} whether it is ASCII or Unicode punctuation (or a symbol)
 */
function isPunctuation(ch) {
  return ch !== undefined && ch !== '' && (ASCII_PUNCTUATION.has(ch) || UNICODE_PUNCTUATION_RE.test(ch));
}

/**
 * The start and the end of the text count as whitespace, as CommonMark's flanking rules require.
 * @param {string|undefined} ch
 * @returns {boolean}
 */
function isWhitespace(ch) {
  return ch === undefined || ch === '' || UNICODE_WHITESPACE_RE.test(ch);
}

/**
 * Turns heading text into a URL fragment: lower case, punctuation dropped, whitespace runs become "-".
 * Letters and digits of any script are kept.
 * @param {string} text  plain text (no Markdown)
 * @returns {string}  may be empty when the text has no letters or digits
 */
function slugify(text) {
  assertString(text, 'text');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/**
 * Hands out unique slugs within one document: the second "Intro" becomes "intro-1", the third "intro-2".
 * Create one per document.
 */
class Slugger {
  constructor() {
    /** @type {Set<string>} */
    this.used = new Set();
  }

  /**
   * @param {string} text  the heading's plain text
   * @returns {string} a slug not returned before by this Slugger
   */
  slug(text) {
    const base = slugify(text) || 'section';
    let candidate = base;
    let n = 0;
    while (this.used.has(candidate)) {
      n += 1;
      candidate = `${base}-${n}`;
    }
    this.used.add(candidate);
    return candidate;
  }
}

module.exports = {
  assertString,
  describeType,
  normalizeInput,
  splitLines,
  expandTabs,
  measureWhitespace,
  isBlank,
  leadingSpaces,
  removeIndent,
  isAsciiPunctuation,
  isPunctuation,
  isWhitespace,
  slugify,
  Slugger,
};
