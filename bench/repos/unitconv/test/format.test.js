'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../lib');

describe('formatNumber', () => {
  it('rounds half away from zero and trims zeros', () => {
    assert.equal(uc.formatNumber(1.005, 2), '1.01');
    assert.equal(uc.formatNumber(-2.5, 0), '-3');
    assert.equal(uc.formatNumber(1.5, 3), '1.5');
    assert.equal(uc.formatNumber(1.5, 3, false), '1.500');
    assert.equal(uc.formatNumber(-0.001, 2), '0');
  });

  it('rejects bad precision', () => {
    assert.throws(() => uc.formatNumber(1, -1), RangeError);
    assert.throws(() => uc.formatNumber(1, 1.5), RangeError);
    assert.throws(() => uc.formatNumber(Infinity), TypeError);
  });
});

describe('format', () => {
  it('keeps the unit and rounds to two places by default', () => {
    assert.equal(uc.format(uc.q(3.14159, 'km')), '3.14 km');
    assert.equal(uc.format('20 degC'), '20 °C');
  });

  it('honours precision, separator and trimZeros', () => {
    assert.equal(uc.format('2.5 kg', { precision: 0 }), '3 kg');
    assert.equal(uc.format('2.5 kg', { separator: '' }), '2.5kg');
    assert.equal(uc.format('2.5 kg', { trimZeros: false }), '2.50 kg');
  });

  it('converts to a requested unit', () => {
    assert.equal(uc.format('1 mi', { unit: 'km', precision: 3 }), '1.609 km');
    assert.equal(uc.format('100 degC', { unit: 'degF' }), '212 °F');
  });

  it('picks the best metric unit', () => {
    assert.equal(uc.format('1500 m', { unit: 'best' }), '1.5 km');
    assert.equal(uc.format('0.25 m', { unit: 'best' }), '25 cm');
    assert.equal(uc.format('0.0005 m', { unit: 'best' }), '500 \u00b5m');
    assert.equal(uc.format('90000 s', { unit: 'best' }), '1.04 d');
    assert.equal(uc.format('2500 g', { unit: 'best' }), '2.5 kg');
  });

  it('uses the smallest unit for tiny values and keeps the unit for zero', () => {
    assert.equal(uc.format('0.0000000001 m', { unit: 'best', precision: 1 }), '0.1 nm');
    assert.equal(uc.format('0 km', { unit: 'best' }), '0 km');
  });

  it('picks the best unit for negative values', () => {
    assert.equal(uc.format('-2500 m', { unit: 'best' }), '-2.5 km');
  });

  it('keeps temperatures in their unit', () => {
    assert.equal(uc.format('1500 K', { unit: 'best' }), '1500 K');
  });

  it('stays in the imperial system for imperial quantities', () => {
    assert.equal(uc.format('5000 ft', { unit: 'best' }), '5000 ft');
    assert.equal(uc.format('90 in', { unit: 'best' }), '7.5 ft');
    assert.equal(uc.format('20 oz', { unit: 'best' }), '1.25 lb');
  });

  it('stays with binary prefixes for binary data sizes', () => {
    assert.equal(uc.format('2048 KiB', { unit: 'best' }), '2 MiB');
    assert.equal(uc.format('1536 kB', { unit: 'best' }), '1.54 MB');
  });

  it('picks from the system given in the options', () => {
    assert.equal(uc.format('1536 B', { unit: 'best', system: 'binary' }), '1.5 KiB');
    assert.equal(uc.format('1 km', { unit: 'best', system: 'imperial' }), '3280.84 ft');
    assert.equal(uc.format('90 min', { unit: 'best', system: 'imperial' }), '1.5 h');
    assert.throws(() => uc.format('1 km', { unit: 'best', system: 'klingon' }), /Unknown measurement system/);
  });

  it('exposes the chosen unit through bestUnit', () => {
    assert.equal(uc.bestUnit('1500 m'), 'km');
    assert.equal(uc.bestUnit(uc.q(3e9, 'B')), 'GB');
    assert.equal(uc.bestUnit(uc.q(3e9, 'B'), { system: 'binary' }), 'GiB');
  });

  it('rejects unknown options and non-quantities', () => {
    assert.throws(() => uc.format('1 m', { precison: 3 }), /unknown option "precison"/);
    assert.throws(() => uc.format(5), TypeError);
    assert.throws(() => uc.format('1 m', { precision: 25 }), RangeError);
  });
});
