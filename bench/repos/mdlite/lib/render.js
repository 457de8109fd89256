'use strict';

/**
 * The HTML renderer: walks the block tree, parses each block's inline content and writes HTML in the
 * same shape CommonMark's reference renderer uses (one block per line, tight list items without <p>).
 * @module mdlite/render
 */

const { escapeHtml } = require('./escape');
const { parseInlineNodes, renderInlineNodes, toPlainText } = require('./inline');
const { Slugger } = require('./utils');

/**
 * Accumulates output; `cr()` starts a new line unless the output already ends one.
 */
class HtmlWriter {
  constructor() {
    this.buffer = '';
  }

  /** @param {string} html */
  write(html) {
    this.buffer += html;
  }

  cr() {
    if (this.buffer !== '' && !this.buffer.endsWith('\n')) this.buffer += '\n';
  }
}

/**
 * @typedef {object} RenderContext
 * @property {object} options     normalised render options
 * @property {Slugger} slugger    hands out heading ids for this document
 * @property {{references: Map}} inline  what the inline parser needs to know about the document
 */

/**
 * @param {string} text
 * @param {RenderContext} ctx
 * @returns {object[]}
 */
function inlineNodes(text, ctx) {
  return parseInlineNodes(text, ctx.inline);
}

/**
 * @param {object} node  a code block
 * @returns {string} the class attribute naming its language, from the first word of the info string
 */
function languageClass(node) {
  const language = node.info.split(/\s+/)[0];
  return language === '' ? '' : ` class="language-${escapeHtml(language)}"`;
}

/**
 * Renders one block.
 * @param {object} node
 * @param {RenderContext} ctx
 * @param {HtmlWriter} out
 * @param {boolean} tight  whether the block sits directly in a tight list item
 */
function renderBlock(node, ctx, out, tight) {
  switch (node.type) {
    case 'heading': {
      const nodes = inlineNodes(node.text, ctx);
      const id = ctx.options.headingIds ? ` id="${escapeHtml(ctx.slugger.slug(toPlainText(nodes)))}"` : '';
      out.cr();
      out.write(`<h${node.level}${id}>${renderInlineNodes(nodes, ctx.options)}</h${node.level}>`);
      out.cr();
      break;
    }
    case 'paragraph': {
      const html = renderInlineNodes(inlineNodes(node.text, ctx), ctx.options);
      if (tight) {
        out.write(html);
      } else {
        out.cr();
        out.write(`<p>${html}</p>`);
        out.cr();
      }
      break;
    }
    case 'code':
      out.cr();
      out.write(`<pre><code${languageClass(node)}>${escapeHtml(node.text)}</code></pre>`);
      out.cr();
      break;
    case 'blockquote':
      out.cr();
      out.write('<blockquote>');
      out.cr();
      renderBlocks(node.children, ctx, out, false);
      out.cr();
      out.write('</blockquote>');
      out.cr();
      break;
    case 'list': {
      const tag = node.ordered ? 'ol' : 'ul';
      const start = node.ordered && node.start !== 1 ? ` start="${node.start}"` : '';
      out.cr();
      out.write(`<${tag}${start}>`);
      out.cr();
      for (const item of node.items) {
        out.write('<li>');
        renderBlocks(item.children, ctx, out, node.tight);
        out.write('</li>');
        out.cr();
      }
      out.write(`</${tag}>`);
      out.cr();
      break;
    }
    case 'thematicBreak':
      out.cr();
      out.write('<hr />');
      out.cr();
      break;
    default:
      throw new Error(`Unknown block node type "${node.type}"`);
  }
}

/**
 * @param {object[]} nodes
 * @param {RenderContext} ctx
 * @param {HtmlWriter} out
 * @param {boolean} tight
 */
function renderBlocks(nodes, ctx, out, tight) {
  for (const node of nodes) renderBlock(node, ctx, out, tight);
}

/**
 * Renders a parsed document.
 * @param {{type: 'document', children: object[], references?: Map}} doc  from parseDocument()
 * @param {object} options  normalised options
 * @returns {string}
 */
function renderDocument(doc, options) {
  if (!doc || doc.type !== 'document' || !Array.isArray(doc.children)) {
    throw new TypeError('renderDocument expects a document node from parse()');
  }
  const ctx = {
    options,
    slugger: new Slugger(),
    inline: { references: doc.references instanceof Map ? doc.references : new Map() },
  };
  const out = new HtmlWriter();
  renderBlocks(doc.children, ctx, out, false);
  out.cr();
  return out.buffer;
}

module.exports = { renderDocument };
