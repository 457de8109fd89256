'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../lib');

const plain = (q) => ({ value: q.value, unit: q.unit });

describe('parse', () => {
  it('parses a number and a unit', () => {
    assert.deepEqual(plain(uc.parse('3.5 km')), { value: 3.5, unit: 'km' });
    assert.deepEqual(plain(uc.parse('  12   kg ')), { value: 12, unit: 'kg' });
  });

  it('parses without a space between number and unit', () => {
    assert.deepEqual(plain(uc.parse('10KiB')), { value: 10, unit: 'KiB' });
    assert.deepEqual(plain(uc.parse('250ms')), { value: 250, unit: 'ms' });
  });

  it('parses signs, leading dots and exponents', () => {
    assert.deepEqual(plain(uc.parse('-40 °C')), { value: -40, unit: 'degC' });
    assert.deepEqual(plain(uc.parse('+.5 mi')), { value: 0.5, unit: 'mi' });
    assert.deepEqual(plain(uc.parse('1e3 m')), { value: 1000, unit: 'm' });
    assert.deepEqual(plain(uc.parse('2.5E-3 s')), { value: 0.0025, unit: 's' });
  });

  it('parses long unit names', () => {
    assert.deepEqual(plain(uc.parse('3 kilometers')), { value: 3, unit: 'km' });
    assert.deepEqual(plain(uc.parse('2 hours')), { value: 2, unit: 'h' });
  });

  it('parses compound quantities into the last unit', () => {
    assert.deepEqual(plain(uc.parse('1 h 30 min')), { value: 90, unit: 'min' });
    assert.deepEqual(plain(uc.parse('5 ft 3 in')), { value: 63, unit: 'in' });
    assert.deepEqual(plain(uc.parse('-1h30min')), { value: -90, unit: 'min' });
  });

  it('rejects badly ordered or mixed compound quantities', () => {
    assert.throws(() => uc.parse('30 min 1 h'), uc.ParseError);
    assert.throws(() => uc.parse('1 h 30 m'), uc.DimensionError);
    assert.throws(() => uc.parse('1 h -30 min'), uc.ParseError);
    assert.throws(() => uc.parse('20 degC 5 K'), uc.ParseError);
  });

  it('uses defaultUnit for a bare number', () => {
    assert.deepEqual(plain(uc.parse('42', { defaultUnit: 'm' })), { value: 42, unit: 'm' });
    assert.throws(() => uc.parse('42'), /Missing unit/);
  });

  it('reports where the input went wrong', () => {
    assert.throws(() => uc.parse(''), uc.ParseError);
    assert.throws(() => uc.parse('km'), { name: 'ParseError', index: 0 });
    assert.throws(() => uc.parse('5 m x'), { name: 'ParseError', index: 4 });
    assert.throws(() => uc.parse('5 5 m'), uc.ParseError);
  });

  it('rejects unknown units and options', () => {
    assert.throws(() => uc.parse('3 furlongs'), uc.UnknownUnitError);
    assert.throws(() => uc.parse('3 m', { defaultUnits: 'm' }), /unknown option "defaultUnits"/);
    assert.throws(() => uc.parse(3), TypeError);
  });
});
