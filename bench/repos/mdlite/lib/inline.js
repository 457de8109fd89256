'use strict';

/**
 * The inline parser: code spans, emphasis and strong emphasis, links (inline, reference and autolinks),
 * backslash escapes and line breaks. Parsing happens in two passes: a scan that turns the text into
 * tokens (with "*" and "_" runs kept as delimiter tokens), then CommonMark's delimiter algorithm, which
 * pairs delimiters into emphasis.
 * @module mdlite/inline
 */

const {
  assertString, isAsciiPunctuation, isPunctuation, isWhitespace,
} = require('./utils');
const { escapeHtml, hrefAttribute } = require('./escape');
const { parseInlineLinkTail, normalizeLabel, isValidLabel } = require('./links');

const SPECIAL_CHAR_RE = /[\\`*_<[\n]/g;
const URI_AUTOLINK_RE = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\u0000-\u001f\u007f]*)>/y;
const EMAIL_AUTOLINK_RE = /<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;

/**
 * @typedef {object} InlineContext
 * @property {Map<string, {destination: string, title: string|null}>} [references]  link reference definitions
 * @property {boolean} [inLink]  set while parsing a link's text: links do not nest
 */

/**
 * @param {string} src
 * @param {number} pos
 * @param {string} ch
 * @returns {number} how many times `ch` repeats from `pos`
 */
function runLength(src, pos, ch) {
  let end = pos;
  while (src[end] === ch) end += 1;
  return end - pos;
}

/**
 * Parses a code span opening at `pos`: it closes at the next backtick run of the same length. Line endings
 * become spaces, and one space is stripped from each end when both ends have one.
 * @param {string} src
 * @param {number} pos
 * @returns {{value: string, end: number} | null}
 */
function parseCodeSpan(src, pos) {
  const length = runLength(src, pos, '`');
  let search = pos + length;
  for (;;) {
    const close = src.indexOf('`', search);
    if (close === -1) return null;
    const closeLength = runLength(src, close, '`');
    if (closeLength === length) {
      let value = src.slice(pos + length, close).replace(/\n/g, ' ');
      if (value.length >= 2 && value[0] === ' ' && value[value.length - 1] === ' ' && /[^ ]/.test(value)) {
        value = value.slice(1, -1);
      }
      return { value, end: close + length };
    }
    search = close + closeLength;
  }
}

/**
 * Parses an autolink: `<scheme:...>` or `<user@example.com>`.
 * @param {string} src
 * @param {number} pos
 * @returns {{node: object, end: number} | null}
 */
function parseAutolink(src, pos) {
  URI_AUTOLINK_RE.lastIndex = pos;
  let m = URI_AUTOLINK_RE.exec(src);
  if (m) {
    return { node: linkNode(m[1], null, [{ type: 'text', value: m[1] }]), end: pos + m[0].length };
  }
  EMAIL_AUTOLINK_RE.lastIndex = pos;
  m = EMAIL_AUTOLINK_RE.exec(src);
  if (m) {
    return { node: linkNode(`mailto:${m[1]}`, null, [{ type: 'text', value: m[1] }]), end: pos + m[0].length };
  }
  return null;
}

function linkNode(href, title, children) {
  return { type: 'link', href, title, children };
}

/**
 * Finds the "]" matching the "[" at `pos`. Code spans and autolinks bind more tightly than brackets,
 * and escaped brackets do not count.
 * @param {string} src
 * @param {number} pos
 * @returns {number} its index, or -1
 */
function findClosingBracket(src, pos) {
  let depth = 0;
  for (let i = pos; i < src.length; i += 1) {
    const ch = src[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '`') {
      const code = parseCodeSpan(src, i);
      i = (code ? code.end : i + runLength(src, i, '`')) - 1;
    } else if (ch === '<') {
      const auto = parseAutolink(src, i);
      if (auto) i = auto.end - 1;
    } else if (ch === '[') {
      depth += 1;
    } else if (ch === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * Looks up a reference label.
 * @param {InlineContext} context
 * @param {string} label  raw, as written between the brackets
 * @returns {{destination: string, title: string|null} | null}
 */
function lookupReference(context, label) {
  if (!context.references || !isValidLabel(label)) return null;
  return context.references.get(normalizeLabel(label)) || null;
}

/**
 * Parses a link whose text opens at `pos`: an inline link `[text](url "title")`, or a full
 * `[text][label]`, collapsed `[label][]` or shortcut `[label]` reference link.
 * @param {string} src
 * @param {number} pos
 * @param {InlineContext} context
 * @returns {{node: object, end: number} | null}
 */
function parseLink(src, pos, context) {
  const close = findClosingBracket(src, pos);
  if (close === -1) return null;
  const text = src.slice(pos + 1, close);
  const makeNode = (href, title) => linkNode(href, title, parseInlineNodes(text, { ...context, inLink: true }));

  const tail = parseInlineLinkTail(src, close + 1);
  if (tail) return { node: makeNode(tail.destination, tail.title), end: tail.end };

  if (src[close + 1] === '[') {
    const labelEnd = src.indexOf(']', close + 2);
    const label = labelEnd === -1 ? null : src.slice(close + 2, labelEnd);
    if (label !== null && (label === '' || isValidLabel(label))) {
      // A label that follows the text decides: if it is not defined, this is not a link at all.
      const ref = lookupReference(context, label === '' ? text : label);
      return ref ? { node: makeNode(ref.destination, ref.title), end: labelEnd + 1 } : null;
    }
  }
  const ref = lookupReference(context, text);
  return ref ? { node: makeNode(ref.destination, ref.title), end: close + 1 } : null;
}

/**
 * Builds a delimiter token for a run of "*" or "_" and works out whether it can open and/or close
 * emphasis (CommonMark's left- and right-flanking rules; "_" may not open or close inside a word).
 */
function delimiterToken(src, pos, length) {
  const char = src[pos];
  const before = pos > 0 ? src[pos - 1] : undefined;
  const after = src[pos + length];
  const leftFlanking = !isWhitespace(after)
    && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
  const rightFlanking = !isWhitespace(before)
    && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
  let canOpen = leftFlanking;
  let canClose = rightFlanking;
  if (char === '_') {
    canOpen = leftFlanking && (!rightFlanking || isPunctuation(before));
    canClose = rightFlanking && (!leftFlanking || isPunctuation(after));
  }
  return { type: 'delimiter', char, count: length, originalCount: length, canOpen, canClose };
}

/**
 * First pass: scans the text into tokens.
 * @param {string} src
 * @param {InlineContext} context
 * @returns {object[]}
 */
function tokenize(src, context) {
  const tokens = [];
  let text = '';
  const flush = () => {
    if (text !== '') tokens.push({ type: 'text', value: text });
    text = '';
  };
  const skipLeadingSpaces = (from) => {
    let i = from;
    while (src[i] === ' ' || src[i] === '\t') i += 1;
    return i;
  };

  let pos = 0;
  while (pos < src.length) {
    SPECIAL_CHAR_RE.lastIndex = pos;
    const found = SPECIAL_CHAR_RE.exec(src);
    const next = found ? found.index : src.length;
    text += src.slice(pos, next);
    pos = next;
    if (pos >= src.length) break;

    const ch = src[pos];
    if (ch === '\\') {
      const escaped = src[pos + 1];
      if (escaped === '\n') {
        flush();
        tokens.push({ type: 'break' });
        pos = skipLeadingSpaces(pos + 2);
      } else if (isAsciiPunctuation(escaped)) {
        text += escaped;
        pos += 2;
      } else {
        text += ch;
        pos += 1;
      }
    } else if (ch === '`') {
      const code = parseCodeSpan(src, pos);
      if (code) {
        flush();
        tokens.push({ type: 'code', value: code.value });
        pos = code.end;
      } else {
        const length = runLength(src, pos, '`');
        text += src.slice(pos, pos + length);
        pos += length;
      }
    } else if (ch === '*' || ch === '_') {
      const length = runLength(src, pos, ch);
      flush();
      tokens.push(delimiterToken(src, pos, length));
      pos += length;
    } else if (ch === '<') {
      const auto = parseAutolink(src, pos);
      if (auto) {
        flush();
        tokens.push(auto.node);
        pos = auto.end;
      } else {
        text += ch;
        pos += 1;
      }
    } else if (ch === '[') {
      const link = context.inLink ? null : parseLink(src, pos, context);
      if (link) {
        flush();
        tokens.push(link.node);
        pos = link.end;
      } else {
        text += ch;
        pos += 1;
      }
    } else {
      // A line ending: two or more trailing spaces make it a hard break.
      const trailing = /[ \t]*$/.exec(text)[0];
      text = text.slice(0, text.length - trailing.length);
      flush();
      tokens.push({ type: trailing.length >= 2 && !trailing.includes('\t') ? 'break' : 'softbreak' });
      pos = skipLeadingSpaces(pos + 1);
    }
  }
  flush();
  return tokens;
}

/**
 * CommonMark's "rule of three": a delimiter that can both open and close cannot pair with another when
 * their lengths add up to a multiple of 3, unless both are multiples of 3.
 */
function violatesRuleOfThree(opener, closer) {
  if (!opener.canClose && !closer.canOpen) return false;
  return (opener.originalCount + closer.originalCount) % 3 === 0
    && !(opener.originalCount % 3 === 0 && closer.originalCount % 3 === 0);
}

function delimiterToText(token) {
  return token.type === 'delimiter' ? { type: 'text', value: token.char.repeat(token.count) } : token;
}

/**
 * Second pass: pairs delimiter tokens into `em` and `strong` nodes, innermost first, left to right.
 * Delimiters left unpaired become text.
 * @param {object[]} tokens
 * @returns {object[]}
 */
function processEmphasis(tokens) {
  let closerIndex = 0;
  while (closerIndex < tokens.length) {
    const closer = tokens[closerIndex];
    if (closer.type !== 'delimiter' || !closer.canClose || closer.count === 0) {
      closerIndex += 1;
      continue;
    }
    let openerIndex = closerIndex - 1;
    while (openerIndex >= 0) {
      const candidate = tokens[openerIndex];
      if (candidate.type === 'delimiter' && candidate.char === closer.char && candidate.canOpen
        && candidate.count > 0 && !violatesRuleOfThree(candidate, closer)) break;
      openerIndex -= 1;
    }
    if (openerIndex < 0) {
      closerIndex += 1;
      continue;
    }
    const opener = tokens[openerIndex];
    const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
    const children = tokens.slice(openerIndex + 1, closerIndex).map(delimiterToText);
    tokens.splice(openerIndex + 1, closerIndex - openerIndex - 1, {
      type: used === 2 ? 'strong' : 'em',
      children,
    });
    opener.count -= used;
    closer.count -= used;
    closerIndex = openerIndex + 2;
    if (opener.count === 0) {
      tokens.splice(openerIndex, 1);
      closerIndex -= 1;
    }
    if (closer.count === 0) tokens.splice(closerIndex, 1);
  }
  return tokens.map(delimiterToText);
}

/**
 * Joins neighbouring text nodes, recursively.
 * @param {object[]} nodes
 * @returns {object[]}
 */
function mergeText(nodes) {
  const out = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === 'text' && last && last.type === 'text') {
      out[out.length - 1] = { type: 'text', value: last.value + node.value };
    } else if (node.children) {
      out.push({ ...node, children: mergeText(node.children) });
    } else {
      out.push(node);
    }
  }
  return out;
}

/**
 * Parses inline Markdown into a list of nodes: text, code, em, strong, link, break and softbreak.
 * @param {string} text
 * @param {InlineContext} [context]
 * @returns {object[]}
 */
function parseInlineNodes(text, context = {}) {
  assertString(text, 'text');
  return mergeText(processEmphasis(tokenize(text, context)));
}

/**
 * Renders inline nodes to HTML.
 * @param {object[]} nodes
 * @param {{safeLinks?: boolean, softBreak?: string}} [options]
 * @returns {string}
 */
function renderInlineNodes(nodes, options = {}) {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += escapeHtml(node.value);
        break;
      case 'code':
        out += `<code>${escapeHtml(node.value)}</code>`;
        break;
      case 'em':
      case 'strong':
        out += `<${node.type}>${renderInlineNodes(node.children, options)}</${node.type}>`;
        break;
      case 'link': {
        const title = node.title === null ? '' : ` title="${escapeHtml(node.title)}"`;
        out += `<a href="${hrefAttribute(node.href, options)}"${title}>${renderInlineNodes(node.children, options)}</a>`;
        break;
      }
      case 'softbreak':
        out += options.softBreak === undefined ? '\n' : options.softBreak;
        break;
      case 'break':
        out += '<br />\n';
        break;
      default:
        throw new Error(`Unknown inline node type "${node.type}"`);
    }
  }
  return out;
}

/**
 * The text of inline nodes without any markup, e.g. for a heading's slug: link destinations and titles
 * are left out, line breaks become spaces.
 * @param {object[]} nodes
 * @returns {string}
 */
function toPlainText(nodes) {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'code') out += node.value;
    else if (node.type === 'break' || node.type === 'softbreak') out += ' ';
    else if (node.children) out += toPlainText(node.children);
  }
  return out;
}

module.exports = { parseInlineNodes, renderInlineNodes, toPlainText };
