'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render } = require('../../lib');

describe('reference links', () => {
  it('resolve a full reference defined later in the document', () => {
    const md = 'Read [the docs][docs] first.\n\n[docs]: https://example.com/docs "Documentation"';
    assert.equal(render(md),
      '<p>Read <a href="https://example.com/docs" title="Documentation">the docs</a> first.</p>\n');
  });

  it('resolve collapsed and shortcut references, with inline content in the text', () => {
    const md = '[API][] and [*Guide*] and [api].\n\n[api]: /api\n[*guide*]: /guide';
    assert.equal(render(md),
      '<p><a href="/api">API</a> and <a href="/guide"><em>Guide</em></a> and <a href="/api">api</a>.</p>\n');
  });

  it('match labels ignoring case and whitespace, and the first definition wins', () => {
    const md = '[text][Node  JS]\n\n[node js]: https://nodejs.org\n[NODE JS]: https://example.com';
    assert.equal(render(md), '<p><a href="https://nodejs.org">text</a></p>\n');
  });

  it('accept angle-bracket destinations and the other title quotes', () => {
    const md = "[a] [b]\n\n[a]: <my file.pdf> 'Single'\n[b]: /b (Parens)";
    assert.equal(render(md),
      '<p><a href="my%20file.pdf" title="Single">a</a> <a href="/b" title="Parens">b</a></p>\n');
  });

  it('leave undefined references as text and only take definitions at the start of a paragraph', () => {
    const md = '[x][missing], [y] and [z]\n\n[z]: /z\n\nIntro\n[y]: /not-a-definition';
    assert.equal(render(md),
      '<p>[x][missing], [y] and <a href="/z">z</a></p>\n<p>Intro\n[y]: /not-a-definition</p>\n');
  });

  it('use definitions from inside blockquotes and lists anywhere', () => {
    const md = '> [q]: /quoted\n\n- [l]: /listed\n- item\n\nSee [q] and [l].';
    assert.equal(render(md),
      '<blockquote>\n</blockquote>\n<ul>\n<li></li>\n<li>item</li>\n</ul>\n<p>See <a href="/quoted">q</a> and <a href="/listed">l</a>.</p>\n');
  });
});
