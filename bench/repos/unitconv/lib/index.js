'use strict';

/**
 * unitconv: unit conversion, quantity parsing and formatting.
 *
 * The functions exported at the top level work on a shared registry holding the
 * built-in units. Use {@link createConverter} for an independent set of functions with
 * its own registry (for example to define custom units without affecting other code).
 * @module unitconv
 */

const errors = require('./errors');
const { Registry, Unit } = require('./registry');
const { SI_PREFIXES, BINARY_PREFIXES } = require('./prefixes');
const { createDefaultRegistry } = require('./definitions');
const { convert, convertInterval } = require('./convert');
const { parse } = require('./parse');
const { format, formatNumber, bestUnit } = require('./format');
const { Quantity } = require('./quantity');

/**
 * Functions bound to one registry.
 * @param {Registry} [registry] defaults to a new registry with the built-in units
 */
function createConverter(registry = createDefaultRegistry()) {
  if (!(registry instanceof Registry)) {
    throw new TypeError('createConverter: expected a Registry');
  }

  /** A Quantity, or a string parsed into one. */
  const toQuantity = (input, where) => {
    if (input instanceof Quantity) return input;
    if (typeof input === 'string') return parse(input, null, registry);
    throw new TypeError(`${where}: expected a Quantity or a quantity string`);
  };

  return {
    registry,
    /** @see module:unitconv/parse.parse */
    parse: (input, options) => parse(input, options, registry),
    /**
     * quantity(3, 'km') or quantity('3 km').
     * @param {number|string} value
     * @param {string} [unit]
     * @returns {Quantity}
     */
    quantity: (value, unit) =>
      typeof value === 'string' && unit === undefined ? parse(value, null, registry) : new Quantity(value, unit, registry),
    convert: (value, from, to) => convert(value, from, to, registry),
    convertInterval: (value, from, to) => convertInterval(value, from, to, registry),
    format: (q, options) => format(toQuantity(q, 'format'), options),
    bestUnit: (q, options) => bestUnit(toQuantity(q, 'bestUnit'), options),
    define: (spec) => registry.define(spec),
    isUnit: (spelling) => registry.has(spelling),
  };
}

const defaultConverter = createConverter();

module.exports = {
  ...defaultConverter,
  q: defaultConverter.quantity,
  createConverter,
  createDefaultRegistry,
  formatNumber,
  Registry,
  Unit,
  Quantity,
  SI_PREFIXES,
  BINARY_PREFIXES,
  ...errors,
};
