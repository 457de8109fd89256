'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { tokenize } = require('../lib');

describe('tokenize', () => {
  it('splits records and fields', () => {
    assert.deepEqual(tokenize('a,b,c\n1,2,3\n'), [['a', 'b', 'c'], ['1', '2', '3']]);
  });

  it('returns no rows for empty input', () => {
    assert.deepEqual(tokenize(''), []);
  });

  it('does not add a row for a trailing line terminator', () => {
    assert.deepEqual(tokenize('a\nb\n'), [['a'], ['b']]);
    assert.deepEqual(tokenize('a\nb'), [['a'], ['b']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    assert.deepEqual(tokenize(',a,,\n'), [['', 'a', '', '']]);
  });

  it('reads delimiters and line breaks inside quoted fields as data', () => {
    assert.deepEqual(tokenize('"a,b","line1\nline2"\n'), [['a,b', 'line1\nline2']]);
  });

  it('unescapes doubled quotes inside quoted fields', () => {
    assert.deepEqual(tokenize('"say ""hi""",""""\n'), [['say "hi"', '"']]);
  });

  it('keeps a quote in the middle of an unquoted field', () => {
    assert.deepEqual(tokenize('5" disk,x\n'), [['5" disk', 'x']]);
  });

  it('accepts CRLF and lone CR line endings', () => {
    assert.deepEqual(tokenize('a,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(tokenize('a,b\r1,2\r'), [['a', 'b'], ['1', '2']]);
  });

  it('keeps CRLF inside quoted fields as it was', () => {
    assert.deepEqual(tokenize('"x\r\ny",z\r\n'), [['x\r\ny', 'z']]);
  });

  it('uses a custom delimiter and quote', () => {
    assert.deepEqual(tokenize("a;'b;c';d\n", { delimiter: ';', quote: "'" }), [['a', 'b;c', 'd']]);
  });

  it('treats quotes as data when quoting is disabled', () => {
    assert.deepEqual(tokenize('"a",b\n', { quote: null }), [['"a"', 'b']]);
  });

  it('only ends records at the configured line terminator', () => {
    assert.deepEqual(tokenize('a\nb,c\r\nd,e\r\n', { lineTerminator: '\r\n' }), [['a\nb', 'c'], ['d', 'e']]);
  });

  it('rejects characters after a closing quote, with line and column', () => {
    assert.throws(() => tokenize('a,b\n"x"y,z\n'), (err) => {
      assert.equal(err.name, 'CsvError');
      assert.equal(err.code, 'CSV_INVALID_CLOSING_QUOTE');
      assert.equal(err.line, 2);
      assert.equal(err.column, 4);
      return true;
    });
  });

  it('rejects a quoted field that is never closed', () => {
    assert.throws(() => tokenize('a,"bc\n'), { code: 'CSV_UNTERMINATED_QUOTE', line: 1, column: 3 });
  });

  it('rejects input that is not a string', () => {
    assert.throws(() => tokenize(42), { code: 'CSV_INVALID_INPUT' });
  });
});

describe('tokenize with comment and escape', () => {
  it('skips comment lines', () => {
    assert.deepEqual(tokenize('# header comment\na,b\n#another\n1,2\n', { comment: '#' }), [['a', 'b'], ['1', '2']]);
  });

  it('reads backslash escapes inside quoted fields', () => {
    assert.deepEqual(tokenize('"a\\"b","c\\\\","C:\\dir"\n', { escape: '\\' }), [['a"b', 'c\\', 'C:\\dir']]);
  });
});
