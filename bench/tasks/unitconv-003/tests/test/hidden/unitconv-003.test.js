'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../../lib');

describe('rounding negative values', () => {
  it('rounds negative halves away from zero, like positive ones', () => {
    assert.equal(uc.format('1.235 m'), '1.24 m');
    assert.equal(uc.format('-1.235 m'), '-1.24 m');
    assert.equal(uc.format('-0.125 kg'), '-0.13 kg');
  });

  it('rounds negative halves to whole numbers away from zero', () => {
    assert.equal(uc.format('-2.5 kg', { precision: 0 }), '-3 kg');
    assert.equal(uc.q('-0.5 h').format({ precision: 0 }), '-1 h');
    assert.equal(uc.formatNumber(-2.5, 0), '-3');
  });

  it('gives the same digits for a value and its negation', () => {
    for (const value of [0.5, 1.5, 2.5, 1.005, 0.125, 12.345, 99.995, 1234.5675]) {
      for (const precision of [0, 1, 2, 3]) {
        const positive = uc.formatNumber(value, precision);
        const negative = uc.formatNumber(-value, precision);
        assert.equal(negative, positive === '0' ? '0' : `-${positive}`, `${value} at precision ${precision}`);
      }
    }
  });

  it('rounds negative values after converting them', () => {
    assert.equal(uc.format('-1500.05 m', { unit: 'km', precision: 4 }), '-1.5001 km');
    assert.equal(uc.format('-2.5 degC', { precision: 0 }), '-3 °C');
    assert.equal(uc.format('-2500.5 m', { unit: 'best', precision: 0 }), '-3 km');
  });
});
