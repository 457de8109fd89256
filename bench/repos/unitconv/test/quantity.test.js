'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../lib');

describe('Quantity', () => {
  it('is immutable and serialises to JSON', () => {
    const d = uc.q('3 km');
    assert.throws(() => { d.value = 4; }, TypeError);
    assert.equal(JSON.stringify(d), '{"value":3,"unit":"km"}');
    assert.equal(d.dimension, 'length');
  });

  it('converts with to()', () => {
    const d = uc.q(1.5, 'h').to('min');
    assert.equal(d.value, 90);
    assert.equal(d.unit, 'min');
  });

  it('adds and subtracts in the unit of the left operand', () => {
    assert.equal(uc.q('1 km').add('250 m').toString(), '1.25 km');
    assert.equal(uc.q('1 KiB').subtract(uc.q(24, 'B')).toString(), '0.98 KiB');
    assert.equal(uc.q('2 ft').add('6 in').value, 2.5);
  });

  it('treats the added temperature as an amount', () => {
    assert.equal(uc.q('20 degC').add('10 K').value, 30);
    assert.equal(uc.q('20 degC').add('18 degF').value, 30);
    assert.equal(uc.q('50 degF').subtract('10 degC').value, 32);
  });

  it('refuses to combine different dimensions', () => {
    assert.throws(() => uc.q('1 m').add('1 s'), uc.DimensionError);
    assert.throws(() => uc.q('1 m').compare('1 kg'), /cannot combine length/);
  });

  it('multiplies and divides', () => {
    assert.equal(uc.q('1.5 kg').multiply(3).value, 4.5);
    assert.equal(uc.q('1 km').divide(4).value, 0.25);
    assert.equal(uc.q('1 km').divide('250 m'), 4);
    assert.throws(() => uc.q('1 km').divide(0), RangeError);
    assert.throws(() => uc.q('1 km').multiply(uc.q('2 m')), TypeError);
    assert.throws(() => uc.q('20 degC').divide('10 degC'), uc.UnitError);
  });

  it('compares across units', () => {
    assert.equal(uc.q('1 km').compare('1000 m'), 0);
    assert.equal(uc.q('1 mi').compare('1 km'), 1);
    assert.equal(uc.q('0 degC').compare('33 degF'), -1);
    assert.ok(uc.q('12 in').equals('1 ft'));
    assert.ok(!uc.q('12 in').equals('1 m'));
  });

  it('negates and takes the absolute value', () => {
    assert.equal(uc.q('-3 m').abs().value, 3);
    assert.equal(uc.q('3 m').negate().value, -3);
  });

  it('sums a list of quantities', () => {
    const total = uc.Quantity.sum([uc.q('1 h'), uc.q('30 min'), uc.q('90 s')], 'min');
    assert.equal(total.value, 91.5);
    assert.equal(total.unit, 'min');
    assert.equal(uc.Quantity.sum([uc.q('1 m'), uc.q('1 ft')]).value, 1.3048);
    assert.throws(() => uc.Quantity.sum([]), TypeError);
    assert.throws(() => uc.Quantity.sum([uc.q('1 m'), uc.q('1 s')]), uc.DimensionError);
  });

  it('formats through toString and template literals', () => {
    assert.equal(`${uc.q('2.345 kg')}`, '2.35 kg');
    assert.equal(uc.q('1500 m').format({ unit: 'best' }), '1.5 km');
    assert.throws(() => +uc.q('1 m'), TypeError);
  });

  it('validates its value and unit', () => {
    assert.throws(() => uc.q(NaN, 'm'), TypeError);
    assert.throws(() => uc.q(1, 'parsec'), uc.UnknownUnitError);
    assert.throws(() => new uc.Quantity(1, 'm', {}), TypeError);
  });

  it('keeps custom units in their own converter', () => {
    const custom = uc.createConverter();
    custom.define({ symbol: 'smoot', dimension: 'length', factor: 1.7018 });
    assert.equal(custom.quantity('364.4 smoot').to('m').value, 620.13592);
    assert.equal(uc.isUnit('smoot'), false);
    assert.equal(custom.isUnit('smoot'), true);
  });
});
