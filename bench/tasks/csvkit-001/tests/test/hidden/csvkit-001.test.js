'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { stringify, parse, createDialect } = require('../../lib');

describe('stringify quoting with a custom dialect', () => {
  it('quotes fields that contain a semicolon delimiter', () => {
    assert.equal(stringify([['Main St; Apt 4', 'Berlin']], { delimiter: ';' }), '"Main St; Apt 4";Berlin\n');
  });

  it('quotes fields that contain a tab with the tsv preset', () => {
    assert.equal(stringify([['a\tb', 'c']], { dialect: 'tsv' }), '"a\tb"\tc\n');
  });

  it('quotes and escapes fields that contain a custom quote character', () => {
    assert.equal(stringify([["'quoted' start", 'x']], { quote: "'" }), "'''quoted'' start',x\n");
  });

  it('does not quote commas when the delimiter is something else', () => {
    assert.equal(stringify([['1,5', 'a"b']], { delimiter: ';', quote: "'" }), '1,5;a"b\n');
    assert.equal(stringify([['a,b', 'c']], { delimiter: '|', quote: null }), 'a,b|c\n');
  });

  it('writes records that read back unchanged with the same dialect', () => {
    const dialect = createDialect({ delimiter: ';', quote: "'" });
    const records = [
      { name: 'Smith; John', note: "'quoted'" },
      { name: 'Doe, Jane', note: 'x;y;z' },
    ];
    const text = stringify(records, { dialect });
    assert.deepEqual(parse(text, { dialect, columns: true }), records);
  });
});
