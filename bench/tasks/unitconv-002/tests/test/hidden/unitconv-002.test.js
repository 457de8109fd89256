'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../../lib');

describe('converting from Fahrenheit', () => {
  it('converts Fahrenheit readings to Celsius', () => {
    assert.equal(uc.convert(212, 'degF', 'degC'), 100);
    assert.equal(uc.convert(32, 'degF', 'degC'), 0);
    assert.equal(uc.convert(-40, '°F', '°C'), -40);
    assert.equal(uc.convert(98.6, 'degF', 'degC'), 37);
  });

  it('converts Fahrenheit readings to kelvin and Rankine', () => {
    assert.equal(uc.convert(32, 'degF', 'K'), 273.15);
    assert.equal(uc.convert(-459.67, 'degF', 'K'), 0);
    assert.equal(uc.convert(0, 'degF', 'degR'), 459.67);
  });

  it('round-trips through Fahrenheit', () => {
    for (const celsius of [-273.15, -40, 0, 21.5, 100, 1000]) {
      const fahrenheit = uc.convert(celsius, 'degC', 'degF');
      assert.ok(Math.abs(uc.convert(fahrenheit, 'degF', 'degC') - celsius) < 1e-9, `${celsius} degC`);
    }
  });

  it('converts and formats Fahrenheit quantities', () => {
    assert.equal(uc.q('98.6 °F').to('degC').value, 37);
    assert.equal(uc.format('451 degF', { unit: 'degC', precision: 1 }), '232.8 °C');
  });

  it('compares Fahrenheit quantities with other temperatures', () => {
    assert.equal(uc.q('20 degC').compare('50 degF'), 1);
    assert.ok(uc.q('373.15 K').equals('212 degF'));
  });
});
