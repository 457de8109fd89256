'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { get } = require('../../lib');

describe('get with falsy values', () => {
  it('returns stored falsy values when no default is given', () => {
    const settings = { retries: 0, verbose: false, prefix: '', nested: { level: 0 } };
    assert.equal(get(settings, 'retries'), 0);
    assert.equal(get(settings, 'verbose'), false);
    assert.equal(get(settings, 'prefix'), '');
    assert.equal(get(settings, 'nested.level'), 0);
  });

  it('prefers a stored falsy value over the default', () => {
    const settings = { retries: 0, verbose: false, prefix: '', ratio: NaN, owner: null };
    assert.equal(get(settings, 'retries', 3), 0);
    assert.equal(get(settings, 'verbose', true), false);
    assert.equal(get(settings, 'prefix', '>'), '');
    assert.ok(Number.isNaN(get(settings, 'ratio', 1)));
    assert.equal(get(settings, 'owner', 'nobody'), null);
  });

  it('returns falsy array elements, including through segment arrays and negative indices', () => {
    const doc = { flags: [false, 0, ''], matrix: [[0]] };
    assert.equal(get(doc, 'flags[0]', true), false);
    assert.equal(get(doc, 'flags[1]', 1), 0);
    assert.equal(get(doc, ['flags', 2], 'x'), '');
    assert.equal(get(doc, 'flags[-2]', 9), 0);
    assert.equal(get(doc, 'matrix[0][0]', 5), 0);
    assert.equal(get([0], '[0]', 1), 0);
  });

  it('still uses the default only for missing paths and undefined values', () => {
    const doc = { a: undefined, b: null, c: { d: 0 } };
    assert.equal(get(doc, 'a', 'dflt'), 'dflt');
    assert.equal(get(doc, 'missing', 'dflt'), 'dflt');
    assert.equal(get(doc, 'b.x', 'dflt'), 'dflt');
    assert.equal(get(doc, 'c.d.e', 'dflt'), 'dflt');
    assert.equal(get(doc, 'b', 'dflt'), null);
    assert.equal(get(doc, 'c.d', 'dflt'), 0);
  });

  it('returns a falsy root for the empty path', () => {
    assert.equal(get(0, '', 1), 0);
    assert.equal(get(false, ''), false);
  });
});
