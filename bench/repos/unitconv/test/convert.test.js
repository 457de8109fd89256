'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../lib');

describe('convert', () => {
  it('converts between prefixed units', () => {
    assert.equal(uc.convert(5, 'km', 'm'), 5000);
    assert.equal(uc.convert(250, 'mm', 'm'), 0.25);
    assert.equal(uc.convert(1500, 'mg', 'g'), 1.5);
    assert.equal(uc.convert(2, 'h', 'min'), 120);
  });

  it('converts between metric and imperial units without float noise', () => {
    assert.equal(uc.convert(12, 'in', 'ft'), 1);
    assert.equal(uc.convert(1, 'mi', 'km'), 1.609344);
    assert.equal(uc.convert(1, 'lb', 'g'), 453.59237);
    assert.equal(uc.convert(3, 'ft', 'yd'), 1);
  });

  it('converts data sizes with SI and binary prefixes', () => {
    assert.equal(uc.convert(1, 'KiB', 'B'), 1024);
    assert.equal(uc.convert(1, 'kB', 'B'), 1000);
    assert.equal(uc.convert(1, 'GiB', 'MiB'), 1024);
    assert.equal(uc.convert(8, 'b', 'B'), 1);
    assert.equal(uc.convert(1, 'MB', 'KiB'), 976.5625);
  });

  it('converts Celsius and kelvin', () => {
    assert.equal(uc.convert(0, 'degC', 'K'), 273.15);
    assert.equal(uc.convert(300, 'K', 'degC'), 26.85);
    assert.equal(uc.convert(-273.15, '°C', 'K'), 0);
  });

  it('converts to and from Fahrenheit', () => {
    assert.equal(uc.convert(100, 'degC', 'degF'), 212);
    assert.equal(uc.convert(32, 'degF', 'degC'), 0);
    assert.equal(uc.convert(-40, '°F', '°C'), -40);
    assert.equal(uc.convert(0, 'K', 'degF'), -459.67);
    assert.equal(uc.convert(491.67, 'degR', 'degF'), 32);
  });

  it('converts temperature differences without the offset', () => {
    assert.equal(uc.convertInterval(10, 'degC', 'degF'), 18);
    assert.equal(uc.convertInterval(10, 'degC', 'K'), 10);
    assert.equal(uc.convertInterval(5, 'km', 'm'), 5000);
  });

  it('returns the value unchanged for the same unit', () => {
    assert.equal(uc.convert(0.1 + 0.2, 'm', 'm'), 0.1 + 0.2);
  });

  it('rejects conversions between dimensions', () => {
    assert.throws(() => uc.convert(1, 'm', 's'), uc.DimensionError);
    assert.throws(() => uc.convert(1, 'degC', 'kg'), /Cannot convert from "degC" \(temperature\) to "kg" \(mass\)/);
  });

  it('rejects bad values and unknown units', () => {
    assert.throws(() => uc.convert('5', 'm', 'km'), TypeError);
    assert.throws(() => uc.convert(NaN, 'm', 'km'), TypeError);
    assert.throws(() => uc.convert(1, 'm', 'parsec'), uc.UnknownUnitError);
  });
});
