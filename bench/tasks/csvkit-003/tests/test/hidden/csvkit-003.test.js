'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parse, tokenize } = require('../../lib');

// Line numbers count the physical lines of the text, as an editor shows them.
describe('line numbers after multi-line quoted fields', () => {
  it('reports the right line for a record with a missing field', () => {
    const text = 'name,address\n"Ada","12 Main St\nApt 4\nLondon"\n"Alan","Wilmslow"\n"Grace"\n';
    assert.throws(() => parse(text, { columns: true }), (err) => {
      assert.equal(err.code, 'CSV_COLUMN_COUNT');
      assert.equal(err.line, 6);
      assert.match(err.message, /line 6\b/);
      return true;
    });
  });

  it('gives each record the line it starts on, with CRLF line endings', () => {
    const text = 'id,note\r\n1,"first\r\nsecond"\r\n2,"x"\r\n3,"a\r\nb\r\nc"\r\n4,end\r\n';
    assert.deepEqual(parse(text, { columns: true, info: true }).map((r) => r.line), [2, 4, 5, 8]);
  });

  it('counts lone CR line breaks inside quoted fields', () => {
    const text = 'a\r"b\rc"\rd\r';
    assert.deepEqual(parse(text, { info: true }), [
      { record: ['a'], line: 1 },
      { record: ['b\rc'], line: 2 },
      { record: ['d'], line: 4 },
    ]);
  });

  it('points an unterminated quote at the line where it opens', () => {
    const text = 'x,y\n"1\n2",3\n4,"oops\n';
    assert.throws(() => tokenize(text), { code: 'CSV_UNTERMINATED_QUOTE', line: 4, column: 3 });
  });

  it('gives line and column of a stray character after a multi-line field', () => {
    const text = 'a,b\n"multi\nline"x,2\n';
    assert.throws(() => tokenize(text), { code: 'CSV_INVALID_CLOSING_QUOTE', line: 3, column: 6 });
  });
});
