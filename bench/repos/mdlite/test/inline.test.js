'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render, renderInline } = require('../lib');

describe('emphasis', () => {
  it('renders em and strong with both delimiters', () => {
    assert.equal(renderInline('*a* _b_ **c** __d__'), '<em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong>');
  });

  it('nests emphasis', () => {
    assert.equal(renderInline('***both***'), '<em><strong>both</strong></em>');
    assert.equal(renderInline('*foo **bar** baz*'), '<em>foo <strong>bar</strong> baz</em>');
  });

  it('leaves intraword underscores alone', () => {
    assert.equal(renderInline('snake_case_name and __init__'), 'snake_case_name and <strong>init</strong>');
  });

  it('allows intraword asterisks', () => {
    assert.equal(renderInline('un*frigging*believable'), 'un<em>frigging</em>believable');
  });

  it('keeps unmatched delimiters as text', () => {
    assert.equal(renderInline('**foo*'), '*<em>foo</em>');
    assert.equal(renderInline('a * b'), 'a * b');
  });
});

describe('code spans', () => {
  it('renders code literally and escaped', () => {
    assert.equal(renderInline('`a *b* <c>`'), '<code>a *b* &lt;c&gt;</code>');
  });

  it('matches backtick runs of the same length and strips one space', () => {
    assert.equal(renderInline('`` a `b` ``'), '<code>a `b`</code>');
    assert.equal(renderInline('`unclosed'), '`unclosed');
  });

  it('turns line endings into spaces', () => {
    assert.equal(render('`a\nb`'), '<p><code>a b</code></p>\n');
  });
});

describe('links', () => {
  it('renders inline links with titles', () => {
    assert.equal(renderInline('[site](https://example.com "Home")'),
      '<a href="https://example.com" title="Home">site</a>');
  });

  it('parses inline content in the link text', () => {
    assert.equal(renderInline('[a *b* `c`](/x)'), '<a href="/x">a <em>b</em> <code>c</code></a>');
  });

  it('allows destinations in angle brackets and balanced parentheses', () => {
    assert.equal(renderInline('[a](<my file.md>)'), '<a href="my%20file.md">a</a>');
    assert.equal(renderInline('[a](https://en.wikipedia.org/wiki/Foo_(bar))'),
      '<a href="https://en.wikipedia.org/wiki/Foo_(bar)">a</a>');
  });

  it('lets code spans take precedence over link brackets', () => {
    assert.equal(renderInline('[a `]` b](/u)'), '<a href="/u">a <code>]</code> b</a>');
  });

  it('renders autolinks', () => {
    assert.equal(renderInline('<https://example.com/?a=1&b=2>'),
      '<a href="https://example.com/?a=1&amp;b=2">https://example.com/?a=1&amp;b=2</a>');
    assert.equal(renderInline('<me@example.org>'), '<a href="mailto:me@example.org">me@example.org</a>');
  });

  it('leaves brackets without a destination as text', () => {
    assert.equal(renderInline('[not a link] and [x]'), '[not a link] and [x]');
  });
});

describe('reference links', () => {
  it('resolves full, collapsed and shortcut references', () => {
    const md = '[one][a], [A][] and [a].\n\n[a]: /target "T"';
    assert.equal(render(md),
      '<p><a href="/target" title="T">one</a>, <a href="/target" title="T">A</a> and <a href="/target" title="T">a</a>.</p>\n');
  });

  it('matches labels case-insensitively, first definition wins', () => {
    const md = '[Foo  Bar]\n\n[foo bar]: /first\n[FOO BAR]: /second';
    assert.equal(render(md), '<p><a href="/first">Foo  Bar</a></p>\n');
  });

  it('keeps undefined references as text', () => {
    assert.equal(render('[x][nope] [y]'), '<p>[x][nope] [y]</p>\n');
  });
});

describe('escapes and breaks', () => {
  it('resolves backslash escapes', () => {
    assert.equal(renderInline('\\*not em\\* \\[x\\] \\a'), '*not em* [x] \\a');
  });

  it('renders hard and soft breaks', () => {
    assert.equal(render('a  \nb\\\nc\nd'), '<p>a<br />\nb<br />\nc\nd</p>\n');
  });

  it('escapes HTML in text', () => {
    assert.equal(renderInline('<b>"x" & y</b>'), '&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;');
  });
});
