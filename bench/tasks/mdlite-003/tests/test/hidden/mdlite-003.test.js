'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render, renderInline } = require('../../lib');
const { encodeUrl } = require('../../lib/escape');

describe('percent-encoded link destinations', () => {
  it('are kept as written in inline links', () => {
    assert.equal(renderInline('[spec](https://example.com/My%20Doc.pdf)'),
      '<a href="https://example.com/My%20Doc.pdf">spec</a>');
  });

  it('keep lower- and upper-case escapes in autolinks', () => {
    assert.equal(renderInline('<https://example.com/caf%c3%a9?next=%2Fhome>'),
      '<a href="https://example.com/caf%c3%a9?next=%2Fhome">https://example.com/caf%c3%a9?next=%2Fhome</a>');
  });

  it('are kept in reference definitions and next to characters that still need encoding', () => {
    assert.equal(render('[report][r]\n\n[r]: <files/Q1%2D2024 final.pdf> "Q1"'),
      '<p><a href="files/Q1%2D2024%20final.pdf" title="Q1">report</a></p>\n');
  });

  it('still encode a percent sign that does not start an escape', () => {
    assert.equal(renderInline('[a](/p%41?q=5%&r=%4)'), '<a href="/p%41?q=5%25&amp;r=%254">a</a>');
  });

  it('come out the same when encoded twice', () => {
    for (const url of ['/a b/é%', 'https://x.org/%E2%9C%93?q=%20%zz', '%%41']) {
      const once = encodeUrl(url);
      assert.equal(encodeUrl(once), once, url);
    }
  });
});
