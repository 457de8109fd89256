'use strict';

/**
 * Numeric conversion between units of one dimension, for absolute values (a temperature
 * reading, a length) and for intervals (a temperature difference).
 * @module unitconv/convert
 */

const { DimensionError } = require('./errors');
const { assertFiniteNumber, cleanFloat, roundTo } = require('./util');

/**
 * Express `value` in the dimension's base unit.
 * @param {number} value
 * @param {import('./registry').Unit} unit
 * @returns {number}
 */
function toBase(value, unit) {
  return (value + unit.offset) * unit.factor;
}

/**
 * Inverse of {@link toBase}.
 * @param {number} base
 * @param {import('./registry').Unit} unit
 * @returns {number}
 */
function fromBase(base, unit) {
  const scaled = base / unit.factor;
  if (unit.offset === 0) return scaled;
  // Subtracting the offset cancels leading digits (273.15000000000003 - 273.15), so keep
  // only as many decimals as the larger operand really has.
  const magnitude = Math.max(Math.abs(scaled), Math.abs(unit.offset));
  const decimals = Math.min(20, Math.max(0, 14 - Math.floor(Math.log10(magnitude))));
  return roundTo(scaled - unit.offset, decimals);
}

/**
 * Throw a DimensionError unless both units measure the same dimension.
 * @param {import('./registry').Unit} from
 * @param {import('./registry').Unit} to
 */
function assertSameDimension(from, to) {
  if (from.dimension !== to.dimension) {
    throw new DimensionError(
      `Cannot convert from "${from.symbol}" (${from.dimension}) to "${to.symbol}" (${to.dimension})`,
      from.dimension,
      to.dimension,
    );
  }
}

function resolvePair(from, to, registry) {
  const fromUnit = registry.get(from);
  const toUnit = registry.get(to);
  assertSameDimension(fromUnit, toUnit);
  return [fromUnit, toUnit];
}

/**
 * Convert an absolute value, honouring offsets: 100 degC is 212 degF.
 * @param {number} value
 * @param {string|import('./registry').Unit} from
 * @param {string|import('./registry').Unit} to
 * @param {import('./registry').Registry} registry
 * @returns {number}
 */
function convert(value, from, to, registry) {
  assertFiniteNumber(value, 'Value to convert');
  const [fromUnit, toUnit] = resolvePair(from, to, registry);
  if (fromUnit === toUnit) return value;
  return cleanFloat(fromBase(cleanFloat(toBase(value, fromUnit)), toUnit));
}

/**
 * Convert a difference between two values, ignoring offsets: a rise of 10 degC is a
 * rise of 18 degF. For units without an offset this is the same as {@link convert}.
 * @param {number} value
 * @param {string|import('./registry').Unit} from
 * @param {string|import('./registry').Unit} to
 * @param {import('./registry').Registry} registry
 * @returns {number}
 */
function convertInterval(value, from, to, registry) {
  assertFiniteNumber(value, 'Value to convert');
  const [fromUnit, toUnit] = resolvePair(from, to, registry);
  if (fromUnit === toUnit) return value;
  return cleanFloat((value * fromUnit.factor) / toUnit.factor);
}

module.exports = { toBase, fromBase, convert, convertInterval, assertSameDimension };
