'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { stringify } = require('../lib');

describe('stringify', () => {
  it('writes arrays as lines', () => {
    assert.equal(stringify([['a', 'b'], ['1', '2']]), 'a,b\n1,2\n');
  });

  it('returns an empty string for no records', () => {
    assert.equal(stringify([]), '');
  });

  it('writes a header and the values of objects', () => {
    assert.equal(stringify([{ name: 'Ada', age: 36 }, { name: 'Alan', age: 41 }]), 'name,age\nAda,36\nAlan,41\n');
  });

  it('follows the columns option for order, labels and missing keys', () => {
    const records = [{ a: 1, b: 2 }, { b: 3 }];
    const columns = ['b', { key: 'a', header: 'A' }];
    assert.equal(stringify(records, { columns }), 'b,A\n2,1\n3,\n');
  });

  it('writes a header for arrays only when columns are given', () => {
    assert.equal(stringify([[1, 2]], { columns: ['x', 'y'] }), 'x,y\n1,2\n');
    assert.equal(stringify([{ x: 1 }], { header: false }), '1\n');
  });

  it('quotes only the fields that need it', () => {
    const out = stringify([['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ' padded']]);
    assert.equal(out, 'plain,"a,b","say ""hi""","two\nlines","cr\rhere"," padded"\n');
  });

  it('quotes every field with quoteAll', () => {
    assert.equal(stringify([['a', '1']], { quoteAll: true }), '"a","1"\n');
  });

  it('quotes a record made of one empty field', () => {
    assert.equal(stringify([[''], ['x']]), '""\nx\n');
  });

  it('converts values to text', () => {
    const date = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    assert.equal(stringify([[null, undefined, 1.5, 10n, true, date, { k: 1 }]]),
      ',,1.5,10,true,2020-01-02T03:04:05.000Z,"{""k"":1}"\n');
  });

  it('honours the line terminator and eof options', () => {
    assert.equal(stringify([['a'], ['b']], { lineTerminator: '\r\n' }), 'a\r\nb\r\n');
    assert.equal(stringify([['a'], ['b']], { eof: false }), 'a\nb');
  });

  it('refuses to write a value that needs quotes when quoting is disabled', () => {
    assert.equal(stringify([['a', 'b']], { quote: null }), 'a,b\n');
    assert.throws(() => stringify([['a,b']], { quote: null }), { code: 'CSV_QUOTE_REQUIRED', record: 1 });
  });

  it('rejects values and records it cannot write', () => {
    assert.throws(() => stringify([[Symbol('s')]]), { code: 'CSV_INVALID_VALUE', record: 1 });
    assert.throws(() => stringify([[new Date(NaN)]]), { code: 'CSV_INVALID_VALUE' });
    assert.throws(() => stringify([{ a: 1 }, ['x']]), { code: 'CSV_INVALID_RECORD', record: 2 });
    assert.throws(() => stringify('a,b'), { code: 'CSV_INVALID_INPUT' });
  });

  it('validates its options', () => {
    assert.throws(() => stringify([['a']], { header: true }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => stringify([['a']], { quoteAll: 1 }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => stringify([{ a: 1 }], { columns: ['a', 'a'] }), { code: 'CSV_DUPLICATE_COLUMN' });
  });
});

describe('stringify with comment and escape', () => {
  it('quotes a first field that starts with the comment character', () => {
    assert.equal(stringify([['#1', '#2']], { comment: '#' }), '"#1",#2\n');
  });

  it('escapes quotes and backslashes with a backslash escape', () => {
    assert.equal(stringify([['a"b\\c']], { escape: '\\' }), '"a\\"b\\\\c"\n');
  });
});
