'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { escapeHtml, encodeUrl, isSafeUrl, hrefAttribute, unescapeMarkdown } = require('../lib/escape');

describe('escapeHtml', () => {
  it('escapes every special character', () => {
    assert.equal(escapeHtml('<a href="x">&</a> & <'), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt; &amp; &lt;');
  });

  it('leaves other text alone', () => {
    assert.equal(escapeHtml("it's fine: é ✓"), "it's fine: é ✓");
  });

  it('rejects non-strings', () => {
    assert.throws(() => escapeHtml(42), { name: 'TypeError', message: 'text must be a string, got number' });
  });
});

describe('encodeUrl', () => {
  it('encodes spaces and non-ASCII characters', () => {
    assert.equal(encodeUrl('/a b/é'), '/a%20b/%C3%A9');
  });

  it('leaves reserved characters alone', () => {
    assert.equal(encodeUrl("https://x.org/p?q=1&r=a+b#frag;(!*')"), "https://x.org/p?q=1&r=a+b#frag;(!*')");
  });

  it('keeps existing percent-escapes', () => {
    assert.equal(encodeUrl('/a%20b/%C3%a9'), '/a%20b/%C3%a9');
  });

  it('encodes a percent sign that does not start an escape', () => {
    assert.equal(encodeUrl('100%'), '100%25');
    assert.equal(encodeUrl('%zz'), '%25zz');
  });

  it('encodes astral characters and replaces lone surrogates', () => {
    assert.equal(encodeUrl('/😀'), '/%F0%9F%98%80');
    assert.equal(encodeUrl('/\ud800x'), '/%EF%BF%BDx');
  });
});

describe('isSafeUrl and hrefAttribute', () => {
  it('rejects script and file URLs, even when obfuscated', () => {
    assert.equal(isSafeUrl('javascript:alert(1)'), false);
    assert.equal(isSafeUrl(' JavaScript:alert(1)'), false);
    assert.equal(isSafeUrl('java\tscript:alert(1)'), false);
    assert.equal(isSafeUrl('file:///etc/passwd'), false);
    assert.equal(isSafeUrl('data:text/html;base64,AAAA'), false);
  });

  it('accepts ordinary URLs and data: images', () => {
    assert.equal(isSafeUrl('https://example.com'), true);
    assert.equal(isSafeUrl('/relative/path'), true);
    assert.equal(isSafeUrl('data:image/png;base64,AAAA'), true);
  });

  it('builds an escaped href, or "#" for unsafe URLs', () => {
    assert.equal(hrefAttribute('/a b?x="1"&y'), '/a%20b?x=%221%22&amp;y');
    assert.equal(hrefAttribute('javascript:x'), '#');
    assert.equal(hrefAttribute('javascript:x', { safeLinks: false }), 'javascript:x');
  });
});

describe('unescapeMarkdown', () => {
  it('removes backslashes before ASCII punctuation only', () => {
    assert.equal(unescapeMarkdown('\\*a\\_b\\\\c\\d'), '*a_b\\c\\d');
  });
});
