'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parse, stringify, tokenize, createDialect } = require('../../lib');

const BS = '\\';

describe('escape option', () => {
  it('reads backslash-escaped quotes and backslashes inside quoted fields', () => {
    const text = `"say ${BS}"hi${BS}"","ends with ${BS}${BS}",plain\n`;
    assert.deepEqual(tokenize(text, { escape: BS }), [['say "hi"', `ends with ${BS}`, 'plain']]);
  });

  it('keeps a backslash before any other character, and outside quotes', () => {
    const text = `"C:${BS}temp${BS}new",C:${BS}dir,"a${BS},b"\n`;
    assert.deepEqual(parse(text, { escape: BS }), [[`C:${BS}temp${BS}new`, `C:${BS}dir`, `a${BS},b`]]);
  });

  it('does not treat an escaped quote as the end of a field', () => {
    const text = `id,quote\n1,"${BS}",${BS}" is not a delimiter"\n`;
    assert.deepEqual(parse(text, { escape: BS, columns: true }), [{ id: '1', quote: '"," is not a delimiter' }]);
    assert.throws(() => tokenize(`"open ${BS}"\n`, { escape: BS }), { code: 'CSV_UNTERMINATED_QUOTE', line: 1 });
  });

  it('writes quotes and backslashes escaped with the escape character', () => {
    assert.equal(stringify([['say "hi"', 'x']], { escape: BS }), `"say ${BS}"hi${BS}"",x\n`);
    assert.equal(stringify([[`a,b${BS}`]], { escape: BS }), `"a,b${BS}${BS}"\n`);
  });

  it('reads back what it writes with a shared dialect', () => {
    const dialect = createDialect({ escape: BS, delimiter: ';' });
    const records = [
      { a: BS, b: '"', c: `${BS}"` },
      { a: `x;${BS}`, b: `C:${BS}dir`, c: `"${BS}${BS}"` },
      { a: `line${BS}\nbreak`, b: '', c: `${BS}n` },
    ];
    const text = stringify(records, { dialect });
    assert.deepEqual(parse(text, { dialect, columns: true }), records);
  });

  it('validates the escape character', () => {
    assert.equal(createDialect({ escape: BS }).escape, BS);
    assert.throws(() => createDialect({ escape: BS + BS }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => createDialect({ escape: ',' }), { code: 'CSV_INVALID_OPTION' });
    assert.throws(() => parse('a', { escape: '\n' }), { code: 'CSV_INVALID_OPTION' });
  });
});
