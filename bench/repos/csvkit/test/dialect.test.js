'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { createDialect, parse, stringify, convert, presets, CsvError } = require('../lib');

describe('createDialect', () => {
  it('fills in the defaults', () => {
    const dialect = createDialect();
    assert.equal(dialect.delimiter, ',');
    assert.equal(dialect.quote, '"');
    assert.equal(dialect.escape, '"');
    assert.equal(dialect.comment, null);
    assert.equal(dialect.lineTerminator, 'auto');
  });

  it('returns a frozen dialect that can be reused', () => {
    const dialect = createDialect({ delimiter: '|' });
    assert.ok(Object.isFrozen(dialect));
    assert.equal(createDialect(dialect), dialect);
  });

  it('rejects invalid delimiters and quotes', () => {
    assert.throws(() => createDialect({ delimiter: '' }), CsvError);
    assert.throws(() => createDialect({ delimiter: '::' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ delimiter: '\n' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ quote: ',' }), { code: 'CSV_INVALID_OPTION' });
  });

  it('rejects unknown line terminators and option names', () => {
    assert.throws(() => createDialect({ lineTerminator: '\n\n' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ seperator: ';' }), { code: 'CSV_UNKNOWN_OPTION' });
  });

  it('validates the comment and escape characters', () => {
    assert.throws(() => createDialect({ comment: ',' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ escape: '\\\\' }), { code: 'CSV_INVALID_OPTION' });
  });
});

describe('dialect option', () => {
  it('accepts preset names', () => {
    assert.deepEqual(parse('a\tb\n', { dialect: 'tsv' }), [['a', 'b']]);
    assert.equal(stringify([['a', 'b']], { dialect: 'excel' }), 'a,b\r\n');
    assert.deepEqual(Object.keys(presets).sort(), ['csv', 'excel', 'excel-tab', 'tsv', 'unix']);
    assert.throws(() => parse('a', { dialect: 'nope' }), { code: 'CSV_INVALID_OPTION' });
  });

  it('lets options given directly override the dialect', () => {
    const dialect = createDialect({ delimiter: ';', lineTerminator: '\r\n' });
    assert.equal(stringify([['a', 'b']], { dialect, lineTerminator: '\n' }), 'a;b\n');
  });

  it('reads back what it wrote with a shared dialect', () => {
    const dialect = createDialect({ delimiter: '|', quote: "'" });
    const records = [{ id: '1', text: "it's | here" }, { id: '2', text: 'multi\nline' }];
    const text = stringify(records, { dialect });
    assert.deepEqual(parse(text, { dialect, columns: true }), records);
  });

  it('converts between dialects', () => {
    assert.equal(convert('a;b\n"x;y";2\n', { delimiter: ';' }, 'excel'), 'a,b\r\nx;y,2\r\n');
  });
});
