'use strict';

/**
 * The built-in units: length, mass, time, temperature and data size.
 * Factors are relative to each dimension's base unit: metre, kilogram, second, kelvin
 * and byte.
 * @module unitconv/definitions
 */

const { Registry } = require('./registry');

/** @type {object[]} unit specs, see Registry#define */
const UNITS = [
  // length (base: metre)
  { symbol: 'm', dimension: 'length', name: 'meter', names: ['meters', 'metre', 'metres'], prefixes: 'si', system: 'metric' },
  { symbol: 'in', dimension: 'length', factor: 0.0254, name: 'inch', names: ['inches'], system: 'imperial' },
  { symbol: 'ft', dimension: 'length', factor: 0.3048, name: 'foot', names: ['feet'], system: 'imperial' },
  { symbol: 'yd', dimension: 'length', factor: 0.9144, name: 'yard', names: ['yards'], system: 'imperial' },
  { symbol: 'mi', dimension: 'length', factor: 1609.344, name: 'mile', names: ['miles'], system: 'imperial' },

  // mass (base: kilogram)
  { symbol: 'g', dimension: 'mass', factor: 0.001, name: 'gram', names: ['grams'], prefixes: 'si', system: 'metric' },
  { symbol: 't', dimension: 'mass', factor: 1000, name: 'tonne', names: ['tonnes'], system: 'metric' },
  { symbol: 'oz', dimension: 'mass', factor: 0.028349523125, name: 'ounce', names: ['ounces'], system: 'imperial' },
  { symbol: 'lb', dimension: 'mass', factor: 0.45359237, name: 'pound', names: ['pounds'], aliases: ['lbs'], system: 'imperial' },
  { symbol: 'st', dimension: 'mass', factor: 6.35029318, name: 'stone', names: ['stones'], system: 'imperial' },

  // time (base: second)
  { symbol: 's', dimension: 'time', name: 'second', names: ['seconds'], aliases: ['sec'], prefixes: 'si', system: 'metric' },
  { symbol: 'min', dimension: 'time', factor: 60, name: 'minute', names: ['minutes'], system: 'metric' },
  { symbol: 'h', dimension: 'time', factor: 3600, name: 'hour', names: ['hours'], aliases: ['hr'], system: 'metric' },
  { symbol: 'd', dimension: 'time', factor: 86400, name: 'day', names: ['days'], system: 'metric' },
  { symbol: 'wk', dimension: 'time', factor: 604800, name: 'week', names: ['weeks'], system: 'metric' },

  // temperature (base: kelvin)
  { symbol: 'K', dimension: 'temperature', name: 'kelvin', names: ['kelvins'], prefixes: 'si', system: 'metric' },
  {
    symbol: 'degC', dimension: 'temperature', offset: 273.15, name: 'celsius',
    aliases: ['°C', '℃'], display: '°C', system: 'metric',
  },
  {
    symbol: 'degF', dimension: 'temperature', factor: 5 / 9, offset: 459.67, name: 'fahrenheit',
    aliases: ['°F', '℉'], display: '°F', system: 'imperial',
  },
  { symbol: 'degR', dimension: 'temperature', factor: 5 / 9, name: 'rankine', aliases: ['°R'], display: '°R', system: 'imperial' },

  // data size (base: byte)
  { symbol: 'B', dimension: 'data', name: 'byte', names: ['bytes'], prefixes: 'data', system: 'decimal' },
  { symbol: 'b', dimension: 'data', factor: 0.125, name: 'bit', names: ['bits'], prefixes: 'data', system: 'decimal' },
];

/** Units `format(q, { unit: 'best' })` picks from, per dimension and system. */
const PREFERRED = {
  length: {
    metric: ['nm', 'µm', 'mm', 'cm', 'm', 'km'],
    imperial: ['in', 'ft', 'mi'],
  },
  mass: {
    metric: ['mg', 'g', 'kg', 't'],
    imperial: ['oz', 'lb'],
  },
  time: {
    metric: ['ns', 'µs', 'ms', 's', 'min', 'h', 'd'],
  },
  data: {
    decimal: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'],
    binary: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
  },
};

/**
 * Add the built-in units and preferred display units to a registry.
 * @param {Registry} registry
 * @returns {Registry} the same registry
 */
function registerDefaults(registry) {
  UNITS.forEach((spec) => registry.define(spec));
  for (const [dimension, bySystem] of Object.entries(PREFERRED)) {
    for (const [system, symbols] of Object.entries(bySystem)) {
      registry.setPreferred(dimension, system, symbols);
    }
  }
  return registry;
}

/** @returns {Registry} a new registry holding the built-in units */
function createDefaultRegistry() {
  return registerDefaults(new Registry());
}

module.exports = { UNITS, PREFERRED, registerDefaults, createDefaultRegistry };
