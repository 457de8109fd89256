'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../../lib');

describe('best unit at exact unit boundaries', () => {
  it('shows exactly one of the larger metric unit in that unit', () => {
    assert.equal(uc.format('1000 m', { unit: 'best' }), '1 km');
    assert.equal(uc.format('1000 g', { unit: 'best' }), '1 kg');
    assert.equal(uc.format('0.01 m', { unit: 'best' }), '1 cm');
  });

  it('switches time units at exactly one minute, hour and day', () => {
    assert.equal(uc.format('60 s', { unit: 'best' }), '1 min');
    assert.equal(uc.format('60 min', { unit: 'best' }), '1 h');
    assert.equal(uc.bestUnit('86400 s'), 'd');
  });

  it('switches data sizes at exactly 1000 and 1024', () => {
    assert.equal(uc.format('1000 kB', { unit: 'best' }), '1 MB');
    assert.equal(uc.format('1024 B', { unit: 'best', system: 'binary' }), '1 KiB');
    assert.equal(uc.format('1024 MiB', { unit: 'best' }), '1 GiB');
  });

  it('switches imperial units at exactly one foot and one pound', () => {
    assert.equal(uc.format('12 in', { unit: 'best' }), '1 ft');
    assert.equal(uc.format('16 oz', { unit: 'best' }), '1 lb');
  });

  it('treats negative values at the boundary the same way', () => {
    assert.equal(uc.format('-1000 m', { unit: 'best' }), '-1 km');
    assert.equal(uc.bestUnit(uc.q(-3600, 's')), 'h');
  });

  it('keeps the smaller unit just below the boundary and the larger one from it on', () => {
    assert.equal(uc.format('999 m', { unit: 'best' }), '999 m');
    assert.equal(uc.format('1000 m', { unit: 'best' }), '1 km');
    assert.equal(uc.format('1001 m', { unit: 'best', precision: 3 }), '1.001 km');
  });
});
