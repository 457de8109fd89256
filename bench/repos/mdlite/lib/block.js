'use strict';

/**
 * The block parser: turns a document into a tree of headings, paragraphs, fenced code blocks,
 * blockquotes, lists and thematic breaks. Inline content is kept as raw text here; the renderer hands
 * it to the inline parser.
 *
 * Containers (blockquotes and list items) are parsed by collecting the lines that belong to them,
 * stripping their markers or indentation, and parsing those lines again.
 * @module mdlite/block
 */

const {
  splitLines, expandTabs, measureWhitespace, isBlank, leadingSpaces, removeIndent,
} = require('./utils');
const { unescapeMarkdown } = require('./escape');
const { parseLinkDefinition } = require('./links');

/** Containers nested deeper than this are read as plain paragraphs, so hostile input cannot overflow the stack. */
const MAX_DEPTH = 64;

const FENCE_OPEN_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE_RE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const HEADING_RE = /^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$/;
const THEMATIC_BREAK_RE = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const BLOCKQUOTE_RE = /^ {0,3}>/;
const LIST_MARKER_RE = /^( {0,3})(?:([*+-])|(\d{1,9})([.)]))(?=[ \t]|$)/;

/**
 * @typedef {object} ListMarker
 * @property {boolean} ordered
 * @property {string|null} bullet        "-", "+" or "*" for bullet lists
 * @property {string|null} delimiter     "." or ")" for ordered lists
 * @property {number|null} start         the number of an ordered item
 * @property {number} contentIndent      the column the item's content starts at
 * @property {string} firstLine          the item's content on the marker's line
 * @property {boolean} empty             whether nothing follows the marker
 */

/**
 * Matches an opening code fence. Backtick fences may not have backticks in their info string.
 * @param {string} line
 * @returns {{indent: number, char: string, length: number, info: string} | null}
 */
function matchFence(line) {
  const m = FENCE_OPEN_RE.exec(line);
  if (!m) return null;
  const char = m[2][0];
  if (char === '`' && m[3].includes('`')) return null;
  return { indent: m[1].length, char, length: m[2].length, info: unescapeMarkdown(m[3].trim()) };
}

/**
 * @param {string} line
 * @param {{char: string, length: number}} fence  the open fence
 * @returns {boolean} whether the line closes it: same character, at least as long, nothing after it
 */
function closesFence(line, fence) {
  const m = FENCE_CLOSE_RE.exec(line);
  return m !== null && m[1][0] === fence.char && m[1].length >= fence.length;
}

/**
 * Tracks whether a run of lines is inside a fenced code block, one line at a time.
 * @param {string} line
 * @param {{char: string, length: number}|null} fence  the fence open before this line, if any
 * @returns {{char: string, length: number}|null}  the fence open after it
 */
function trackFence(line, fence) {
  if (fence) return closesFence(line, fence) ? null : fence;
  return matchFence(line);
}

/**
 * Matches an ATX heading and strips its optional closing sequence of "#".
 * @param {string} line
 * @returns {{type: 'heading', level: number, text: string} | null}
 */
function matchHeading(line) {
  const m = HEADING_RE.exec(line);
  if (!m) return null;
  const text = m[2]
    .replace(/[ \t]+$/, '')
    .replace(/(?:^|[ \t]+)#+$/, '')
    .trim();
  return { type: 'heading', level: m[1].length, text };
}

/**
 * @param {string} line
 * @returns {boolean}
 */
function isThematicBreak(line) {
  return THEMATIC_BREAK_RE.test(line);
}

/**
 * Matches a list item marker ("-", "+", "*", "1." or "1)") followed by whitespace or the end of the line.
 * @param {string} line
 * @returns {ListMarker | null}
 */
function matchListMarker(line) {
  const m = LIST_MARKER_RE.exec(line);
  if (!m) return null;
  const markerEnd = m[0].length;
  const rest = line.slice(markerEnd);
  const space = measureWhitespace(rest, markerEnd);
  const ordered = m[2] === undefined;
  const marker = {
    ordered,
    bullet: ordered ? null : m[2],
    delimiter: ordered ? m[4] : null,
    start: ordered ? Number.parseInt(m[3], 10) : null,
    contentIndent: markerEnd + 1,
    firstLine: '',
    empty: isBlank(rest),
  };
  if (marker.empty) return marker;
  if (space.columns > 4) {
    // Content that starts far from the marker keeps its extra indentation.
    marker.firstLine = ' '.repeat(space.columns - 1) + rest.slice(space.chars);
  } else {
    marker.contentIndent = markerEnd + space.columns;
    marker.firstLine = rest.slice(space.chars);
  }
  return marker;
}

/**
 * @param {ListMarker} a
 * @param {ListMarker} b
 * @returns {boolean} whether an item with marker b continues a list started with marker a
 */
function sameListType(a, b) {
  return a.ordered === b.ordered && a.bullet === b.bullet && a.delimiter === b.delimiter;
}

/**
 * Whether a line starts a block that may interrupt a paragraph. An ordered list may only interrupt a
 * paragraph when it starts at 1, and an empty list item never does.
 * @param {string} line
 * @returns {boolean}
 */
function interruptsParagraph(line) {
  if (matchFence(line) || HEADING_RE.test(line) || isThematicBreak(line) || BLOCKQUOTE_RE.test(line)) {
    return true;
  }
  const marker = matchListMarker(line);
  return marker !== null && !marker.empty && (!marker.ordered || marker.start === 1);
}

/**
 * Whether `line`, which does not belong to a container on its own, continues the paragraph that the
 * container's previous line is part of ("lazy continuation").
 * @param {string|undefined} previous  the container's last collected line
 * @param {string} line
 * @param {object|null} fence  whether the container is inside a fenced code block
 * @returns {boolean}
 */
function isLazyContinuation(previous, line, fence) {
  return previous !== undefined && !fence && !isBlank(previous) && !isBlank(line)
    && !interruptsParagraph(line) && !HEADING_RE.test(previous) && !isThematicBreak(previous)
    && !matchFence(previous);
}

/**
 * Parses a run of lines into block nodes.
 * @param {string[]} lines  lines with leading tabs expanded
 * @param {{references: Map<string, object>, depth: number}} state  shared by the whole document
 * @param {{blankBetween: boolean}} [info]  set when a blank line separates two of the blocks
 * @returns {object[]}
 */
function parseBlocks(lines, state, info = { blankBetween: false }) {
  const nodes = [];
  let sawBlank = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      if (nodes.length > 0) sawBlank = true;
      i += 1;
      continue;
    }
    const before = nodes.length;
    i = parseBlock(lines, i, nodes, state);
    if (nodes.length > before) {
      if (sawBlank) info.blankBetween = true;
      sawBlank = false;
    }
  }
  return nodes;
}

/**
 * Parses the block starting at lines[i] and appends it to `nodes`.
 * @returns {number} the index of the first line after the block
 */
function parseBlock(lines, i, nodes, state) {
  const line = lines[i];
  const fence = matchFence(line);
  if (fence) return parseFencedCode(lines, i, fence, nodes);
  const heading = matchHeading(line);
  if (heading) {
    nodes.push(heading);
    return i + 1;
  }
  if (isThematicBreak(line)) {
    nodes.push({ type: 'thematicBreak' });
    return i + 1;
  }
  if (state.depth < MAX_DEPTH) {
    if (BLOCKQUOTE_RE.test(line)) return parseBlockquote(lines, i, nodes, state);
    const marker = matchListMarker(line);
    if (marker) return parseList(lines, i, marker, nodes, state);
  }
  return parseParagraph(lines, i, nodes, state);
}

/**
 * A fenced code block runs to its closing fence, or to the end of its container when there is none.
 */
function parseFencedCode(lines, start, fence, nodes) {
  const content = [];
  let i = start + 1;
  while (i < lines.length && !closesFence(lines[i], fence)) {
    content.push(removeIndent(lines[i], fence.indent));
    i += 1;
  }
  nodes.push({
    type: 'code',
    info: fence.info,
    text: content.length > 0 ? `${content.join('\n')}\n` : '',
  });
  return i < lines.length ? i + 1 : i;
}

/**
 * @param {string} line  a line starting with ">"
 * @returns {string} the line without its ">" and one following space
 */
function stripQuoteMarker(line) {
  const markerEnd = line.indexOf('>') + 1;
  const rest = expandTabs(line.slice(markerEnd), markerEnd);
  return rest[0] === ' ' ? rest.slice(1) : rest;
}

function parseBlockquote(lines, start, nodes, state) {
  const inner = [];
  let fence = null;
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    if (BLOCKQUOTE_RE.test(line)) {
      const stripped = stripQuoteMarker(line);
      fence = trackFence(stripped, fence);
      inner.push(stripped);
    } else if (isLazyContinuation(inner[inner.length - 1], line, fence)) {
      inner.push(line);
    } else {
      break;
    }
    i += 1;
  }
  const children = parseBlocks(inner, { ...state, depth: state.depth + 1 });
  nodes.push({ type: 'blockquote', children });
  return i;
}

/**
 * Parses a list: consecutive items with the same kind of marker. The list is tight unless a blank line
 * separates two of its items, or two blocks directly inside one item.
 */
function parseList(lines, start, firstMarker, nodes, state) {
  const list = {
    type: 'list',
    ordered: firstMarker.ordered,
    start: firstMarker.start,
    tight: true,
    items: [],
  };
  const inner = { ...state, depth: state.depth + 1 };
  let marker = firstMarker;
  let i = start;
  for (;;) {
    const itemLines = [marker.firstLine];
    let fence = trackFence(marker.firstLine, null);
    i += 1;
    // An item may begin with at most one blank line.
    const startsEmpty = marker.empty && i < lines.length && isBlank(lines[i]);
    while (!startsEmpty && i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) {
        itemLines.push('');
      } else if (leadingSpaces(line) >= marker.contentIndent) {
        const stripped = removeIndent(line, marker.contentIndent);
        fence = trackFence(stripped, fence);
        itemLines.push(stripped);
      } else if (!matchListMarker(line) && isLazyContinuation(itemLines[itemLines.length - 1], line, fence)) {
        itemLines.push(line);
      } else {
        break;
      }
      i += 1;
    }
    // Blank lines at the end of an item separate it from what follows; they are not part of it.
    let trailingBlanks = 0;
    while (itemLines.length > 1 && isBlank(itemLines[itemLines.length - 1])) {
      itemLines.pop();
      trailingBlanks += 1;
    }
    const info = { blankBetween: false };
    list.items.push({ type: 'listItem', children: parseBlocks(itemLines, inner, info) });
    if (info.blankBetween) list.tight = false;

    while (startsEmpty && i < lines.length && isBlank(lines[i])) {
      i += 1;
      trailingBlanks += 1;
    }
    const next = i < lines.length && !isThematicBreak(lines[i]) ? matchListMarker(lines[i]) : null;
    if (!next || !sameListType(firstMarker, next)) break;
    if (trailingBlanks > 0) list.tight = false;
    marker = next;
  }
  nodes.push(list);
  return i;
}

/**
 * A paragraph runs until a blank line or a line that starts another block. Link reference definitions
 * at its start are taken out of it and recorded for the whole document.
 */
function parseParagraph(lines, start, nodes, state) {
  const buffer = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line) || (buffer.length > 0 && interruptsParagraph(line))) break;
    buffer.push(line.replace(/^[ \t]+/, ''));
    i += 1;
  }
  let text = buffer.join('\n');
  for (let def = parseLinkDefinition(text); def; def = parseLinkDefinition(text)) {
    if (!state.references.has(def.label)) {
      state.references.set(def.label, { destination: def.destination, title: def.title });
    }
    text = text.slice(def.end);
  }
  text = text.replace(/[ \t\n]+$/, '');
  if (text !== '') nodes.push({ type: 'paragraph', text });
  return i;
}

/**
 * Parses a whole document.
 * @param {string} markdown
 * @returns {{type: 'document', children: object[], references: Map<string, {destination: string, title: string|null}>}}
 */
function parseDocument(markdown) {
  const lines = splitLines(markdown).map((line) => expandTabs(line));
  const state = { references: new Map(), depth: 0 };
  const children = parseBlocks(lines, state);
  return { type: 'document', children, references: state.references };
}

module.exports = {
  parseDocument,
  matchHeading,
  matchListMarker,
  matchFence,
  isThematicBreak,
};
