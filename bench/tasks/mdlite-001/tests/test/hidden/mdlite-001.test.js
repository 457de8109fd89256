'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render, parse } = require('../../lib');

describe('ordered lists starting at zero', () => {
  it('keep their start number', () => {
    assert.equal(render('0. zero\n1. one\n2. two'),
      '<ol start="0">\n<li>zero</li>\n<li>one</li>\n<li>two</li>\n</ol>\n');
    assert.equal(render('1. one\n2. two'), '<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n');
  });

  it('keep a zero start written with leading zeros or a parenthesis', () => {
    assert.equal(render('000) a'), '<ol start="0">\n<li>a</li>\n</ol>\n');
    assert.equal(render('00. a\n\n01. b'), '<ol start="0">\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ol>\n');
  });

  it('keep their start number inside a blockquote', () => {
    assert.equal(render('> 0. a\n> 1. b'), '<blockquote>\n<ol start="0">\n<li>a</li>\n<li>b</li>\n</ol>\n</blockquote>\n');
  });

  it('report start 0 in the parse tree', () => {
    const [list] = parse('0. x').children;
    assert.equal(list.type, 'list');
    assert.equal(list.start, 0);
  });

  it('cannot interrupt a paragraph', () => {
    assert.equal(render('Countdown:\n0. liftoff'), '<p>Countdown:\n0. liftoff</p>\n');
  });
});
