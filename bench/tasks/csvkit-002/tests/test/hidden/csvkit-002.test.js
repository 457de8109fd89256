'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parse, castValue } = require('../../lib');

describe('cast leaves non-numbers alone', () => {
  it('keeps empty fields as empty strings in arrays', () => {
    assert.deepEqual(parse('1,,3\n4,5,\n', { cast: true }), [[1, '', 3], [4, 5, '']]);
  });

  it('keeps empty fields as empty strings in objects', () => {
    assert.deepEqual(parse('id,price,qty\n1,,2\n2,9.5,\n', { columns: true, cast: true }), [
      { id: 1, price: '', qty: 2 },
      { id: 2, price: 9.5, qty: '' },
    ]);
  });

  it('keeps lone signs used as placeholders', () => {
    assert.deepEqual(parse('a,-,+,-1\n', { cast: true }), [['a', '-', '+', -1]]);
  });

  it('keeps codes that look like a bare exponent', () => {
    assert.deepEqual(parse('e5,E10,2e5\n', { cast: true }), [['e5', 'E10', 200000]]);
  });

  it('returns the empty string unchanged from castValue', () => {
    assert.equal(castValue(''), '');
    assert.equal(castValue('-'), '-');
    assert.equal(castValue('.'), '.');
  });
});
