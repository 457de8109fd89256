'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Registry, createDefaultRegistry, UnitError, UnknownUnitError } = require('../lib');

describe('Registry', () => {
  it('resolves symbols, aliases and long names', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('m').name, 'meter');
    assert.equal(r.get('°C').symbol, 'degC');
    assert.equal(r.get('feet').symbol, 'ft');
    assert.equal(r.get('lbs').symbol, 'lb');
  });

  it('resolves SI prefixes on prefixable units', () => {
    const r = createDefaultRegistry();
    const km = r.get('km');
    assert.equal(km.symbol, 'km');
    assert.equal(km.factor, 1000);
    assert.equal(km.dimension, 'length');
    assert.equal(r.get('mg').factor, 1e-6);
    assert.equal(r.get('dam').factor, 10);
  });

  it('accepts the micro sign in all its spellings', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('\u00b5m').symbol, '\u00b5m');
    assert.equal(r.get('\u03bcm').symbol, '\u00b5m');
    assert.equal(r.get('um').symbol, '\u00b5m');
  });

  it('resolves binary prefixes for data units only', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('KiB').factor, 1024);
    assert.equal(r.get('MiB').factor, 1024 * 1024);
    assert.equal(r.get('Mib').factor, 1024 * 1024 / 8);
    assert.equal(r.lookup('Kim'), null);
    assert.equal(r.lookup('mB'), null, 'no submultiples of a byte');
  });

  it('combines long prefix names with long unit names', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('kilometers').symbol, 'km');
    assert.equal(r.get('milliseconds').symbol, 'ms');
    assert.equal(r.get('kibibytes').symbol, 'KiB');
  });

  it('prefers exact matches over prefixed readings', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('min').dimension, 'time');
    assert.equal(r.get('mi').dimension, 'length');
    assert.equal(r.get('h').factor, 3600);
  });

  it('does not put prefixes on units that take none', () => {
    const r = createDefaultRegistry();
    assert.equal(r.lookup('kft'), null);
    assert.equal(r.lookup('kdegC'), null);
    assert.equal(r.has('kmin'), false);
  });

  it('throws UnknownUnitError for unknown units', () => {
    const r = createDefaultRegistry();
    assert.throws(() => r.get('furlong'), UnknownUnitError);
    assert.throws(() => r.get('furlong'), /Unknown unit "furlong"/);
  });

  it('defines custom units and resolves them with prefixes', () => {
    const r = new Registry();
    r.define({ symbol: 'm', dimension: 'length', prefixes: 'si' });
    r.define({ symbol: 'ly', dimension: 'length', factor: 9.4607e15, name: 'lightyear', prefixes: 'si-multiples' });
    assert.equal(r.get('kly').factor, 9.4607e18);
    assert.equal(r.lookup('mly'), null);
    assert.deepEqual(r.dimensions(), ['length']);
  });

  it('finds a unit defined after an earlier failed lookup', () => {
    const r = createDefaultRegistry();
    assert.equal(r.lookup('fur'), null);
    r.define({ symbol: 'fur', dimension: 'length', factor: 201.168 });
    assert.equal(r.get('fur').factor, 201.168);
  });

  it('validates unit definitions', () => {
    const r = createDefaultRegistry();
    assert.throws(() => r.define({ symbol: 'm', dimension: 'length' }), /already defined/);
    assert.throws(() => r.define({ symbol: 'x y', dimension: 'length' }), UnitError);
    assert.throws(() => r.define({ symbol: 'q2', dimension: 'length' }), UnitError);
    assert.throws(() => r.define({ symbol: 'zz', dimension: 'length', factor: 0 }), /factor/);
    assert.throws(() => r.define({ symbol: 'zz', dimension: 'length', prefixes: 'greek' }), /prefix set/);
    assert.throws(() => r.define({ symbol: 'zz', dimension: 'temperature', offset: 3, prefixes: 'si' }), /offset/);
    assert.throws(() => r.define(null), TypeError);
  });

  it('lists preferred units smallest first', () => {
    const r = createDefaultRegistry();
    assert.deepEqual(r.preferred('mass', 'imperial').map((u) => u.symbol), ['oz', 'lb']);
    assert.deepEqual(r.preferred('length').map((u) => u.symbol), ['nm', '\u00b5m', 'mm', 'cm', 'm', 'km']);
    assert.equal(r.preferred('temperature'), null);
  });

  it('gives prefixed data units the system of their prefix', () => {
    const r = createDefaultRegistry();
    assert.equal(r.get('kB').system, 'decimal');
    assert.equal(r.get('KiB').system, 'binary');
    assert.equal(r.get('km').system, 'metric');
    assert.deepEqual(r.systems(), ['binary', 'decimal', 'imperial', 'metric']);
  });
});
