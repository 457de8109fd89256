'use strict';

/**
 * Turning quantities into text: number rounding, trailing zero removal and automatic
 * choice of the most readable unit.
 * @module unitconv/format
 */

const { UnitError } = require('./errors');
const { convert } = require('./convert');
const { mergeOptions, roundTo, describe } = require('./util');

const FORMAT_DEFAULTS = {
  /** decimal places to round to */
  precision: 2,
  /** null keeps the quantity's unit, "best" picks one, anything else is a unit to convert to */
  unit: null,
  /** measurement system for unit: "best"; null means the system of the quantity's unit */
  system: null,
  /** drop trailing zeros after the decimal point ("1.50" -> "1.5") */
  trimZeros: true,
  /** text between the number and the unit */
  separator: ' ',
};

const BEST_UNIT_DEFAULTS = {
  system: null,
};

function assertQuantity(quantity, where) {
  if (
    quantity === null ||
    typeof quantity !== 'object' ||
    typeof quantity.value !== 'number' ||
    typeof quantity.unit !== 'string' ||
    !quantity.registry
  ) {
    throw new TypeError(`${where}: expected a Quantity, got ${describe(quantity)}`);
  }
}

function assertPrecision(precision) {
  if (!Number.isInteger(precision) || precision < 0 || precision > 20) {
    throw new RangeError(`format: precision must be a whole number from 0 to 20, got ${describe(precision)}`);
  }
}

/**
 * Format a plain number with at most `precision` decimal places.
 * @param {number} value
 * @param {number} [precision=2]
 * @param {boolean} [trimZeros=true]
 * @returns {string}
 */
function formatNumber(value, precision = 2, trimZeros = true) {
  if (!Number.isFinite(value)) {
    throw new TypeError(`formatNumber: value must be a finite number, got ${describe(value)}`);
  }
  assertPrecision(precision);
  const rounded = roundTo(value, precision);
  let text = Math.abs(rounded) >= 1e21 ? String(rounded) : rounded.toFixed(precision);
  if (trimZeros && text.includes('.') && !text.includes('e')) {
    text = text.replace(/\.?0+$/, '');
  }
  return text === '-0' ? '0' : text;
}

/**
 * The candidate units for `unit: "best"`.
 * @param {import('./registry').Registry} registry
 * @param {import('./registry').Unit} unit
 * @param {string|null} system
 * @returns {import('./registry').Unit[]}
 */
function candidatesFor(registry, unit, system) {
  if (system !== null) {
    if (!registry.systems().includes(system)) {
      throw new UnitError(`Unknown measurement system "${system}"`);
    }
    const listed = registry.preferred(unit.dimension, system);
    if (listed) return listed;
  }
  return registry.preferred(unit.dimension, unit.system) || registry.preferred(unit.dimension) || [];
}

/**
 * Choose the most readable unit for a quantity: the largest preferred unit in which the
 * value is at least 1, or the smallest one for tiny values. Dimensions without preferred
 * units (temperature) and zero values keep their unit.
 * @param {import('./quantity').Quantity} quantity
 * @param {object} [options]
 * @param {string|null} [options.system] measurement system to choose from
 * @returns {string} a unit symbol
 */
function bestUnit(quantity, options) {
  assertQuantity(quantity, 'bestUnit');
  const opts = mergeOptions(BEST_UNIT_DEFAULTS, options, 'bestUnit');
  const registry = quantity.registry;
  const unit = registry.get(quantity.unit);
  const candidates = candidatesFor(registry, unit, opts.system);
  if (candidates.length === 0 || quantity.value === 0) return unit.symbol;
  let chosen = candidates[0];
  for (const candidate of candidates) {
    const value = convert(quantity.value, unit, candidate, registry);
    if (Math.abs(value) >= 1) chosen = candidate;
  }
  return chosen.symbol;
}

/**
 * Format a quantity as text, e.g. "1.5 km".
 * @param {import('./quantity').Quantity} quantity
 * @param {object} [options] see FORMAT_DEFAULTS
 * @returns {string}
 */
function format(quantity, options) {
  assertQuantity(quantity, 'format');
  const opts = mergeOptions(FORMAT_DEFAULTS, options, 'format');
  assertPrecision(opts.precision);
  if (typeof opts.separator !== 'string') {
    throw new TypeError(`format: separator must be a string, got ${describe(opts.separator)}`);
  }
  const registry = quantity.registry;
  let target = quantity.unit;
  if (opts.unit === 'best') {
    target = bestUnit(quantity, { system: opts.system });
  } else if (opts.unit !== null) {
    target = opts.unit;
  }
  const unit = registry.get(target);
  const value = convert(quantity.value, quantity.unit, unit, registry);
  return formatNumber(value, opts.precision, opts.trimZeros) + opts.separator + unit.display;
}

module.exports = { format, formatNumber, bestUnit, FORMAT_DEFAULTS };
