'use strict';

/**
 * The pieces of link syntax shared by the inline parser (inline links and references) and the block
 * parser (link reference definitions): destinations, titles and labels.
 * Every parser here takes the source and a start index and returns `null` when the syntax does not match,
 * or the parsed value and the index just past it.
 * @module mdlite/links
 */

const { unescapeMarkdown } = require('./escape');
const { isAsciiPunctuation } = require('./utils');

const MAX_LABEL_LENGTH = 999;

/**
 * Skips spaces and tabs, and at most one line ending among them.
 * @param {string} src
 * @param {number} pos
 * @returns {number} the index of the first character that is not skipped
 */
function skipSpace(src, pos) {
  let i = pos;
  let newlines = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t') {
      i += 1;
    } else if (ch === '\n' && newlines === 0) {
      newlines += 1;
      i += 1;
    } else {
      break;
    }
  }
  return i;
}

/**
 * Parses a link destination: either `<...>` (may contain spaces, not line endings or unescaped "<" / ">")
 * or a run of non-whitespace, non-control characters whose parentheses balance.
 * @param {string} src
 * @param {number} pos
 * @returns {{value: string, end: number} | null}  value has backslash escapes resolved
 */
function parseLinkDestination(src, pos) {
  if (src[pos] === '<') {
    for (let i = pos + 1; i < src.length; i += 1) {
      const ch = src[i];
      if (ch === '\\' && isAsciiPunctuation(src[i + 1])) {
        i += 1;
      } else if (ch === '\n' || ch === '<') {
        return null;
      } else if (ch === '>') {
        return { value: unescapeMarkdown(src.slice(pos + 1, i)), end: i + 1 };
      }
    }
    return null;
  }
  let depth = 0;
  let i = pos;
  while (i < src.length) {
    const ch = src[i];
    const code = ch.charCodeAt(0);
    if (ch === '\\' && isAsciiPunctuation(src[i + 1])) {
      i += 2;
      continue;
    }
    if (code <= 0x20 || code === 0x7f) break;
    if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      if (depth === 0) break;
      depth -= 1;
    }
    i += 1;
  }
  if (i === pos || depth !== 0) return null;
  return { value: unescapeMarkdown(src.slice(pos, i)), end: i };
}

/**
 * Parses a link title in double quotes, single quotes or parentheses. It may span lines but not contain
 * a blank line.
 * @param {string} src
 * @param {number} pos
 * @returns {{value: string, end: number} | null}
 */
function parseLinkTitle(src, pos) {
  const open = src[pos];
  if (open !== '"' && open !== "'" && open !== '(') return null;
  const close = open === '(' ? ')' : open;
  for (let i = pos + 1; i < src.length; i += 1) {
    const ch = src[i];
    if (ch === '\\' && isAsciiPunctuation(src[i + 1])) {
      i += 1;
    } else if (ch === close) {
      return { value: unescapeMarkdown(src.slice(pos + 1, i)), end: i + 1 };
    } else if (open === '(' && ch === '(') {
      return null;
    } else if (ch === '\n' && /^[ \t]*\n/.test(src.slice(i + 1))) {
      return null;
    }
  }
  return null;
}

/**
 * Parses what follows the "]" of an inline link: `(destination "title")`, both parts optional.
 * @param {string} src
 * @param {number} pos  the index of the "("
 * @returns {{destination: string, title: string|null, end: number} | null}
 */
function parseInlineLinkTail(src, pos) {
  if (src[pos] !== '(') return null;
  let i = skipSpace(src, pos + 1);
  let destination = '';
  if (src[i] !== ')') {
    const dest = parseLinkDestination(src, i);
    if (!dest) return null;
    destination = dest.value;
    i = dest.end;
  }
  const afterDestination = i;
  i = skipSpace(src, i);
  let title = null;
  if (i > afterDestination) {
    const parsed = parseLinkTitle(src, i);
    if (parsed) {
      title = parsed.value;
      i = skipSpace(src, parsed.end);
    }
  }
  if (src[i] !== ')') return null;
  return { destination, title, end: i + 1 };
}

/**
 * Normalises a link label for matching: surrounding whitespace trimmed, inner whitespace collapsed,
 * case folded. "[Foo  Bar]" and "[foo bar]" are the same label.
 * @param {string} label
 * @returns {string}
 */
function normalizeLabel(label) {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
}

/**
 * Whether text can be a link label: not blank, at most 999 characters, no unescaped brackets.
 * @param {string} label
 * @returns {boolean}
 */
function isValidLabel(label) {
  if (label.trim() === '' || label.length > MAX_LABEL_LENGTH) return false;
  for (let i = 0; i < label.length; i += 1) {
    if (label[i] === '\\') i += 1;
    else if (label[i] === '[' || label[i] === ']') return false;
  }
  return true;
}

/**
 * Parses one link reference definition at the start of `src` (a paragraph's text):
 * `[label]: destination "optional title"`, the title possibly on the next line.
 * @param {string} src
 * @returns {{label: string, destination: string, title: string|null, end: number} | null}
 *   label is normalised; end is the index just past the definition's line ending
 */
function parseLinkDefinition(src) {
  if (src[0] !== '[') return null;
  let i = 1;
  while (i < src.length && src[i] !== ']') {
    if (src[i] === '\\') i += 1;
    else if (src[i] === '[') return null;
    i += 1;
  }
  if (src[i] !== ']' || src[i + 1] !== ':') return null;
  const rawLabel = src.slice(1, i);
  if (!isValidLabel(rawLabel)) return null;

  i = skipSpace(src, i + 2);
  const dest = parseLinkDestination(src, i);
  if (!dest) return null;

  const lineEnd = (from) => {
    const match = /^[ \t]*(?:\n|$)/.exec(src.slice(from));
    return match ? from + match[0].length : -1;
  };

  const titleStart = skipSpace(src, dest.end);
  if (titleStart > dest.end) {
    const title = parseLinkTitle(src, titleStart);
    if (title) {
      const end = lineEnd(title.end);
      if (end !== -1) {
        return { label: normalizeLabel(rawLabel), destination: dest.value, title: title.value, end };
      }
    }
  }
  const end = lineEnd(dest.end);
  if (end === -1) return null;
  return { label: normalizeLabel(rawLabel), destination: dest.value, title: null, end };
}

module.exports = {
  skipSpace,
  parseLinkDestination,
  parseLinkTitle,
  parseInlineLinkTail,
  normalizeLabel,
  isValidLabel,
  parseLinkDefinition,
};
