'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parse, stringify, tokenize, createDialect } = require('../../lib');

describe('comment lines', () => {
  it('skips lines that start with the comment character anywhere in the file', () => {
    const text = '# exported by tool v2\nid,name\n1,Ada\n#2,Skipped\n3,Alan\n# trailing note';
    assert.deepEqual(parse(text, { comment: '#', columns: true }), [
      { id: '1', name: 'Ada' },
      { id: '3', name: 'Alan' },
    ]);
  });

  it('treats the comment character as data everywhere except at the start of a record', () => {
    const text = 'a,#b\n"#quoted",c\n"multi\n#line",d\n';
    assert.deepEqual(tokenize(text, { comment: '#' }), [['a', '#b'], ['#quoted', 'c'], ['multi\n#line', 'd']]);
  });

  it('does not read quotes or delimiters inside a comment', () => {
    const text = '; "unbalanced, quote\r\nx;y\r\n';
    assert.deepEqual(tokenize(text, { comment: ';', delimiter: ',' }), [['x;y']]);
  });

  it('keeps counting lines through comments', () => {
    const text = '# one\n# two\na\n# three\nb\n';
    assert.deepEqual(parse(text, { comment: '#', info: true }), [
      { record: ['a'], line: 3 },
      { record: ['b'], line: 5 },
    ]);
  });

  it('quotes a value that would otherwise be written as a comment', () => {
    const dialect = createDialect({ comment: '#' });
    const records = [['#1', '#2'], ['plain', 'x']];
    const text = stringify(records, { dialect });
    assert.equal(text, '"#1",#2\nplain,x\n');
    assert.deepEqual(parse(text, { dialect }), records);
  });

  it('validates the comment character', () => {
    assert.equal(createDialect({ comment: '#' }).comment, '#');
    assert.throws(() => createDialect({ comment: '//' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ comment: ',' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => parse('a', { delimiter: ';', comment: ';' }), { code: 'CSV_INVALID_OPTION' });
  });
});
