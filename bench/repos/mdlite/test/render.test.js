'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render, renderAst, renderInline, parse, slugify } = require('../lib');

describe('options', () => {
  it('validates options', () => {
    assert.throws(() => render('x', { headingID: true }), { name: 'TypeError', message: 'Unknown option "headingID"' });
    assert.throws(() => render('x', { safeLinks: 'no' }), {
      name: 'TypeError',
      message: 'Option "safeLinks" must be a boolean, got string',
    });
    assert.throws(() => render('x', 'fast'), { name: 'TypeError', message: 'options must be an object, got string' });
  });

  it('accepts undefined values and null options', () => {
    assert.equal(render('x', { headingIds: undefined }), '<p>x</p>\n');
    assert.equal(render('x', null), '<p>x</p>\n');
  });

  it('uses the softBreak option', () => {
    assert.equal(render('a\nb', { softBreak: ' ' }), '<p>a b</p>\n');
    assert.equal(render('a\nb', { softBreak: '<br />\n' }), '<p>a<br />\nb</p>\n');
  });

  it('neutralises unsafe links unless safeLinks is off', () => {
    assert.equal(render('[x](javascript:alert(1))'), '<p><a href="#">x</a></p>\n');
    assert.equal(render('[x](javascript:void)', { safeLinks: false }), '<p><a href="javascript:void">x</a></p>\n');
  });
});

describe('heading ids', () => {
  it('are off by default', () => {
    assert.equal(render('# Hello'), '<h1>Hello</h1>\n');
  });

  it('are made from the heading text', () => {
    assert.equal(render('## Getting *Started*: the basics', { headingIds: true }),
      '<h2 id="getting-started-the-basics">Getting <em>Started</em>: the basics</h2>\n');
  });

  it('get a counter when repeated', () => {
    assert.equal(render('# Intro\n## Intro\n### `Intro`', { headingIds: true }),
      '<h1 id="intro">Intro</h1>\n<h2 id="intro-1">Intro</h2>\n<h3 id="intro-2"><code>Intro</code></h3>\n');
  });

  it('fall back to "section" for headings without letters or digits', () => {
    assert.equal(render('# ???', { headingIds: true }), '<h1 id="section">???</h1>\n');
  });

  it('are slugified with letters of any script', () => {
    assert.equal(slugify('  Ünïcode — Straße 2  '), 'ünïcode-straße-2');
  });
});

describe('documents', () => {
  it('renders a small document', () => {
    const md = [
      '# mdlite',
      '',
      'A *small* renderer.',
      '',
      '> Note: see `render()`.',
      '',
      '1. parse',
      '2. render',
      '',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    assert.equal(render(md), [
      '<h1>mdlite</h1>',
      '<p>A <em>small</em> renderer.</p>',
      '<blockquote>',
      '<p>Note: see <code>render()</code>.</p>',
      '</blockquote>',
      '<ol>',
      '<li>parse</li>',
      '<li>render</li>',
      '</ol>',
      '<pre><code class="language-sh">npm test',
      '</code></pre>',
      '',
    ].join('\n'));
  });

  it('renders a parse() result the same way', () => {
    const md = '# T\n\n- [a][r]\n\n[r]: /u';
    assert.equal(renderAst(parse(md)), render(md));
  });

  it('rejects something that is not a parse() result', () => {
    assert.throws(() => renderAst({ type: 'paragraph' }), TypeError);
  });

  it('renders inline Markdown without a paragraph', () => {
    assert.equal(renderInline('**bold** move'), '<strong>bold</strong> move');
  });
});
