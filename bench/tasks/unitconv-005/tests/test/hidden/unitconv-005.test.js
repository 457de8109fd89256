'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../../lib');

const best = (text, options = {}) => uc.format(text, { unit: 'best', ...options });

describe('best unit within a measurement system', () => {
  it('keeps imperial lengths in inches, feet and miles', () => {
    assert.equal(best('5000 ft'), '5000 ft');
    assert.equal(best('90 in'), '7.5 ft');
    assert.equal(best('10560 ft'), '2 mi');
    assert.equal(best('0.5 in'), '0.5 in');
    assert.equal(best('3 yd'), '9 ft');
  });

  it('keeps imperial masses in ounces and pounds', () => {
    assert.equal(best('20 oz'), '1.25 lb');
    assert.equal(best('2 st'), '28 lb');
    assert.equal(best('0.25 lb'), '4 oz');
  });

  it('keeps binary data sizes on binary prefixes and decimal ones on SI prefixes', () => {
    assert.equal(best('2048 KiB'), '2 MiB');
    assert.equal(best('1536 MiB'), '1.5 GiB');
    assert.equal(best('0.5 KiB'), '512 B');
    assert.equal(best('1536 kB'), '1.54 MB');
    assert.equal(best('2048 B'), '2.05 kB');
  });

  it('picks from the system given in the options', () => {
    assert.equal(best('1536 B', { system: 'binary' }), '1.5 KiB');
    assert.equal(best('1 km', { system: 'imperial' }), '3280.84 ft');
    assert.equal(best('5 mi', { system: 'metric' }), '8.05 km');
    assert.equal(best('3 GiB', { system: 'decimal' }), '3.22 GB');
    assert.equal(uc.bestUnit(uc.q(3e9, 'B'), { system: 'binary' }), 'GiB');
    assert.equal(uc.bestUnit('2 lb', { system: 'metric' }), 'g');
  });

  it('falls back to the quantity\'s own units when the system has none for its dimension', () => {
    assert.equal(best('90 min', { system: 'imperial' }), '1.5 h');
    assert.equal(best('300 K', { system: 'imperial' }), '300 K');
    assert.equal(best('1 wk'), '7 d');
  });

  it('rejects unknown systems', () => {
    assert.throws(() => best('1 km', { system: 'klingon' }), uc.UnitError);
    assert.throws(() => uc.bestUnit('1 km', { system: 'klingon' }), uc.UnitError);
    assert.equal(best('1500 m', { system: 'metric' }), '1.5 km');
  });
});
