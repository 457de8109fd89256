'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render, parse } = require('../lib');

describe('headings', () => {
  it('renders ATX headings of every level', () => {
    assert.equal(render('# One\n###### Six'), '<h1>One</h1>\n<h6>Six</h6>\n');
  });

  it('strips an optional closing sequence', () => {
    assert.equal(render('## Title ##'), '<h2>Title</h2>\n');
    assert.equal(render('### Title #####   '), '<h3>Title</h3>\n');
  });

  it('needs a space after the hashes and at most six of them', () => {
    assert.equal(render('#5 bolt'), '<p>#5 bolt</p>\n');
    assert.equal(render('####### seven'), '<p>####### seven</p>\n');
  });

  it('allows an empty heading', () => {
    assert.equal(render('#'), '<h1></h1>\n');
  });
});

describe('paragraphs and breaks', () => {
  it('joins lines of a paragraph and separates paragraphs by blank lines', () => {
    assert.equal(render('one\n  two\n\nthree'), '<p>one\ntwo</p>\n<p>three</p>\n');
  });

  it('renders thematic breaks', () => {
    assert.equal(render('a\n\n* * *\n\nb'), '<p>a</p>\n<hr />\n<p>b</p>\n');
    assert.equal(render('___'), '<hr />\n');
  });

  it('returns an empty string for an empty or blank document', () => {
    assert.equal(render(''), '');
    assert.equal(render('\n  \n\t\n'), '');
  });

  it('accepts Windows line endings', () => {
    assert.equal(render('# A\r\n\r\nb\r\nc'), '<h1>A</h1>\n<p>b\nc</p>\n');
  });
});

describe('fenced code blocks', () => {
  it('keeps content verbatim and escaped', () => {
    assert.equal(render('```\n<b> & *x*\n\n  indented\n```'),
      '<pre><code>&lt;b&gt; &amp; *x*\n\n  indented\n</code></pre>\n');
  });

  it('names the language from the info string', () => {
    assert.equal(render('```js\nlet a;\n```'), '<pre><code class="language-js">let a;\n</code></pre>\n');
    assert.equal(render('~~~ python extra words\nx\n~~~'), '<pre><code class="language-python">x\n</code></pre>\n');
  });

  it('closes only on a fence of the same kind that is at least as long', () => {
    assert.equal(render('````\n```\n~~~~\n````'), '<pre><code>```\n~~~~\n</code></pre>\n');
  });

  it('runs to the end of the document when unclosed', () => {
    assert.equal(render('```\ncode\n\n# not a heading'), '<pre><code>code\n\n# not a heading\n</code></pre>\n');
  });

  it('removes the fence indentation from content lines', () => {
    assert.equal(render('  ```\n  a\n    b\n c\n  ```'), '<pre><code>a\n  b\nc\n</code></pre>\n');
  });
});

describe('blockquotes', () => {
  it('renders nested blocks inside a quote', () => {
    assert.equal(render('> # Title\n> text\n>\n> - item'),
      '<blockquote>\n<h1>Title</h1>\n<p>text</p>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>\n');
  });

  it('continues a paragraph lazily', () => {
    assert.equal(render('> quoted\nlazy line'), '<blockquote>\n<p>quoted\nlazy line</p>\n</blockquote>\n');
  });

  it('ends at a blank line', () => {
    assert.equal(render('> a\n\n> b'), '<blockquote>\n<p>a</p>\n</blockquote>\n<blockquote>\n<p>b</p>\n</blockquote>\n');
  });

  it('nests quotes', () => {
    assert.equal(render('> > inner'), '<blockquote>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>\n');
  });
});

describe('lists', () => {
  it('renders a tight bullet list', () => {
    assert.equal(render('- a\n- b\n- c'), '<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>\n');
  });

  it('makes a list loose when items are separated by blank lines', () => {
    assert.equal(render('- a\n\n- b'), '<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n');
  });

  it('keeps the start number of ordered lists', () => {
    assert.equal(render('1. a\n2. b'), '<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n');
    assert.equal(render('3) a\n4) b'), '<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>\n');
  });

  it('nests lists by indentation', () => {
    assert.equal(render('- a\n  1. x\n  2. y\n- b'),
      '<ul>\n<li>a\n<ol>\n<li>x</li>\n<li>y</li>\n</ol>\n</li>\n<li>b</li>\n</ul>\n');
  });

  it('starts a new list when the marker changes', () => {
    assert.equal(render('- a\n+ b'), '<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n');
  });

  it('keeps fenced code with blank lines inside an item', () => {
    assert.equal(render('- code:\n\n  ```\n  x\n\n  y\n  ```\n- next'),
      '<ul>\n<li>\n<p>code:</p>\n<pre><code>x\n\ny\n</code></pre>\n</li>\n<li>\n<p>next</p>\n</li>\n</ul>\n');
  });

  it('does not let an ordered list other than 1 interrupt a paragraph', () => {
    assert.equal(render('The year\n1999. was good'), '<p>The year\n1999. was good</p>\n');
    assert.equal(render('Steps:\n1. go'), '<p>Steps:</p>\n<ol>\n<li>go</li>\n</ol>\n');
  });
});

describe('parse', () => {
  it('returns the block tree with raw inline text', () => {
    const doc = parse('## Hi *there*\n\n1. one');
    assert.equal(doc.type, 'document');
    assert.deepEqual(doc.children, [
      { type: 'heading', level: 2, text: 'Hi *there*' },
      {
        type: 'list',
        ordered: true,
        start: 1,
        tight: true,
        items: [{ type: 'listItem', children: [{ type: 'paragraph', text: 'one' }] }],
      },
    ]);
  });

  it('rejects input that is not a string', () => {
    assert.throws(() => parse(null), { name: 'TypeError', message: 'markdown must be a string, got null' });
  });

  it('survives deeply nested containers', () => {
    const html = render(`${'>'.repeat(500)} deep`);
    assert.ok(html.includes('deep'));
  });
});
