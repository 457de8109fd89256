'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parse, castValue } = require('../lib');

describe('parse', () => {
  it('returns arrays of strings by default', () => {
    assert.deepEqual(parse('a,b\n1,2\n'), [['a', 'b'], ['1', '2']]);
  });

  it('accepts a Buffer and drops a byte order mark', () => {
    assert.deepEqual(parse(Buffer.from('\uFEFFa,b\n1,2\n', 'utf8')), [['a', 'b'], ['1', '2']]);
  });

  it('skips empty lines unless asked not to', () => {
    assert.deepEqual(parse('a\n\nb\n'), [['a'], ['b']]);
    assert.deepEqual(parse('a\n\nb\n', { skipEmptyLines: false }), [['a'], [''], ['b']]);
  });

  it('keeps a line holding only an empty quoted field', () => {
    assert.deepEqual(parse('a\n""\nb\n'), [['a'], [''], ['b']]);
  });

  it('trims unquoted fields only', () => {
    assert.deepEqual(parse(' a ," b "\n', { trim: true }), [['a', ' b ']]);
  });

  it('rejects records with the wrong number of fields', () => {
    assert.throws(() => parse('a,b\n1,2\n3\n'), { code: 'CSV_COLUMN_COUNT', line: 3, record: 3 });
  });

  it('accepts ragged records with relaxColumnCount', () => {
    assert.deepEqual(parse('a,b\n1\n', { relaxColumnCount: true }), [['a', 'b'], ['1']]);
  });

  it('skips records and stops after maxRecords', () => {
    assert.deepEqual(parse('x\na\nb\nc\nd\n', { skipRecords: 1, maxRecords: 2 }), [['a'], ['b']]);
  });

  it('reports the line each record starts on', () => {
    assert.deepEqual(parse('a\n\nb\n', { info: true }), [
      { record: ['a'], line: 1 },
      { record: ['b'], line: 3 },
    ]);
  });

  it('validates its options', () => {
    assert.throws(() => parse('a', { trim: 'yes' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => parse('a', { maxRecords: -1 }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => parse('a', { colums: true }), { code: 'CSV_UNKNOWN_OPTION' });
    assert.throws(() => parse(null), { code: 'CSV_INVALID_INPUT' });
  });
});

describe('parse with columns', () => {
  it('turns records into objects keyed by the header row', () => {
    assert.deepEqual(parse('name,age\nAda,36\nAlan,41\n', { columns: true }), [
      { name: 'Ada', age: '36' },
      { name: 'Alan', age: '41' },
    ]);
  });

  it('uses given column names and reads the first line as data', () => {
    assert.deepEqual(parse('Ada,36\n', { columns: ['name', 'age'] }), [{ name: 'Ada', age: '36' }]);
  });

  it('lets a function rename columns and drop them with null', () => {
    const columns = (header) => header.map((name) => (name === 'skip' ? null : name.toUpperCase()));
    assert.deepEqual(parse('a,skip,b\n1,2,3\n', { columns }), [{ A: '1', B: '3' }]);
  });

  it('does not count the header against maxRecords', () => {
    assert.deepEqual(parse('h\n1\n2\n3\n', { columns: true, maxRecords: 2 }), [{ h: '1' }, { h: '2' }]);
  });

  it('rejects duplicate column names', () => {
    assert.throws(() => parse('a,b,a\n1,2,3\n', { columns: true }), { code: 'CSV_DUPLICATE_COLUMN', line: 1 });
  });

  it('checks records against the header width', () => {
    assert.throws(() => parse('a,b\n1,2,3\n', { columns: true }), { code: 'CSV_COLUMN_COUNT', line: 2 });
  });

  it('stores a "__proto__" column as an ordinary property', () => {
    const [record] = parse('__proto__,x\n1,2\n', { columns: true });
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(Object.keys(record), ['__proto__', 'x']);
    assert.equal(record.x, '2');
  });
});

describe('parse with cast', () => {
  it('converts decimal numbers and booleans', () => {
    assert.deepEqual(parse('1,-2.5,.5,1e3,true,false,abc\n', { cast: true }), [[1, -2.5, 0.5, 1000, true, false, 'abc']]);
  });

  it('keeps quoted fields and numbers with leading zeros as strings', () => {
    assert.deepEqual(parse('"42",007,0.5\n', { cast: true }), [['42', '007', 0.5]]);
  });

  it('calls a cast function with the column context', () => {
    const seen = [];
    const cast = (value, context) => {
      seen.push(context);
      return value.toUpperCase();
    };
    assert.deepEqual(parse('k\nx\n', { columns: true, cast }), [{ k: 'X' }]);
    assert.deepEqual(seen, [{ column: 'k', index: 0, quoted: false, line: 2, record: 1 }]);
  });

  it('exposes the built-in conversion', () => {
    assert.equal(castValue('12'), 12);
    assert.equal(castValue('x'), 'x');
  });
});

describe('parse with comment and escape', () => {
  it('skips comment lines before the header', () => {
    assert.deepEqual(parse('# exported 2020-01-01\nid\n7\n', { comment: '#', columns: true }), [{ id: '7' }]);
  });

  it('reads backslash-escaped quotes', () => {
    assert.deepEqual(parse('q\n"say \\"hi\\""\n', { escape: '\\', columns: true }), [{ q: 'say "hi"' }]);
  });
});
