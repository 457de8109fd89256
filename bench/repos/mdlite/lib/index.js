'use strict';

/**
 * mdlite: renders a practical subset of Markdown to HTML, with no dependencies.
 *
 *   const { render } = require('mdlite');
 *   render('# Hello *world*');   // '<h1>Hello <em>world</em></h1>\n'
 *
 * @module mdlite
 */

const { assertString, slugify } = require('./utils');
const { escapeHtml } = require('./escape');
const { parseDocument } = require('./block');
const { parseInlineNodes, renderInlineNodes } = require('./inline');
const { renderDocument } = require('./render');
const { normalizeOptions } = require('./options');

/**
 * Parses Markdown into a block tree. Inline content stays as raw text in each block's `text`.
 * @param {string} markdown
 * @returns {{type: 'document', children: object[], references: Map}}
 */
function parse(markdown) {
  assertString(markdown, 'markdown');
  return parseDocument(markdown);
}

/**
 * Renders Markdown to HTML.
 * @param {string} markdown
 * @param {import('./options').RenderOptions} [options]
 * @returns {string}  HTML, one block per line, ending with a newline (empty for an empty document)
 */
function render(markdown, options) {
  assertString(markdown, 'markdown');
  const normalized = normalizeOptions(options);
  return renderDocument(parseDocument(markdown), normalized);
}

/**
 * Renders a parse() result to HTML.
 * @param {object} doc
 * @param {import('./options').RenderOptions} [options]
 * @returns {string}
 */
function renderAst(doc, options) {
  return renderDocument(doc, normalizeOptions(options));
}

/**
 * Renders a single line of inline Markdown, without a surrounding <p>.
 * @param {string} text
 * @param {import('./options').RenderOptions} [options]
 * @returns {string}
 */
function renderInline(text, options) {
  assertString(text, 'text');
  const normalized = normalizeOptions(options);
  return renderInlineNodes(parseInlineNodes(text), normalized);
}

module.exports = {
  render,
  parse,
  renderAst,
  renderInline,
  escapeHtml,
  slugify,
};
