'use strict';

/**
 * Quantities: a number with a unit, immutable, with dimension-checked arithmetic.
 * @module unitconv/quantity
 */

const { UnitError, DimensionError } = require('./errors');
const { Registry } = require('./registry');
const { convert, convertInterval } = require('./convert');
const { format } = require('./format');
const { assertFiniteNumber, cleanFloat, nearlyEqual, describe } = require('./util');

class Quantity {
  /**
   * @param {number} value
   * @param {string|import('./registry').Unit} unit
   * @param {Registry} registry the registry `unit` belongs to
   */
  constructor(value, unit, registry) {
    assertFiniteNumber(value, 'Quantity value');
    if (!(registry instanceof Registry)) {
      throw new TypeError('Quantity: a unit registry is required');
    }
    const resolved = registry.get(unit);
    /** @type {number} */
    this.value = value === 0 ? 0 : value;
    /** @type {string} canonical unit symbol */
    this.unit = resolved.symbol;
    Object.defineProperty(this, 'registry', { value: registry, enumerable: false });
    Object.freeze(this);
  }

  /** @returns {string} the dimension of the quantity's unit, e.g. "length" */
  get dimension() {
    return this.registry.get(this.unit).dimension;
  }

  /**
   * Add up quantities of one dimension. The first one is taken as an absolute value and
   * the others as amounts added to it (this matters only for temperatures).
   * @param {Quantity[]} quantities
   * @param {string|import('./registry').Unit} [unit] unit of the result, defaults to the first quantity's
   * @returns {Quantity}
   */
  static sum(quantities, unit) {
    if (!Array.isArray(quantities) || quantities.length === 0) {
      throw new TypeError('Quantity.sum: expected a non-empty array of quantities');
    }
    quantities.forEach((q) => {
      if (!(q instanceof Quantity)) throw new TypeError(`Quantity.sum: expected quantities, got ${describe(q)}`);
    });
    const [first, ...rest] = quantities;
    const registry = first.registry;
    const target = registry.get(unit === undefined ? first.unit : unit);
    let total = convert(first.value, first.unit, target, registry);
    for (const q of rest) {
      checkDimension(first, q, 'sum');
      total += convertInterval(q.value, q.unit, target, registry);
    }
    return new Quantity(cleanFloat(total), target, registry);
  }

  /**
   * Resolve the other operand of an operation: a Quantity, or a string to parse.
   * @private
   */
  _operand(other, operation) {
    let q = other;
    if (typeof other === 'string') {
      q = require('./parse').parse(other, null, this.registry);
    }
    if (!(q instanceof Quantity)) {
      throw new TypeError(`${operation}: expected a Quantity or a quantity string, got ${describe(other)}`);
    }
    return checkDimension(this, q, operation);
  }

  /**
   * This quantity in another unit.
   * @param {string} unit
   * @returns {Quantity}
   */
  to(unit) {
    const target = this.registry.get(unit);
    return new Quantity(convert(this.value, this.unit, target, this.registry), target, this.registry);
  }

  /**
   * Add another quantity of the same dimension; the result is in this quantity's unit.
   * The other quantity is an amount, not a reading: 20 degC plus 10 K is 30 degC.
   * @param {Quantity|string} other
   * @returns {Quantity}
   */
  add(other) {
    const q = this._operand(other, 'add');
    const amount = convertInterval(q.value, q.unit, this.unit, this.registry);
    return new Quantity(cleanFloat(this.value + amount), this.unit, this.registry);
  }

  /**
   * Subtract an amount of the same dimension; the result is in this quantity's unit.
   * @param {Quantity|string} other
   * @returns {Quantity}
   */
  subtract(other) {
    const q = this._operand(other, 'subtract');
    const amount = convertInterval(q.value, q.unit, this.unit, this.registry);
    return new Quantity(cleanFloat(this.value - amount), this.unit, this.registry);
  }

  /**
   * @param {number} factor
   * @returns {Quantity}
   */
  multiply(factor) {
    if (typeof factor !== 'number') {
      throw new TypeError(`multiply: only multiplication by a number is supported, got ${describe(factor)}`);
    }
    assertFiniteNumber(factor, 'multiply: factor');
    return new Quantity(cleanFloat(this.value * factor), this.unit, this.registry);
  }

  /**
   * Divide by a number (giving a quantity) or by a quantity of the same dimension
   * (giving their ratio as a plain number).
   * @param {number|Quantity|string} divisor
   * @returns {Quantity|number}
   */
  divide(divisor) {
    if (typeof divisor === 'number') {
      assertFiniteNumber(divisor, 'divide: divisor');
      if (divisor === 0) throw new RangeError('divide: division by zero');
      return new Quantity(cleanFloat(this.value / divisor), this.unit, this.registry);
    }
    const q = this._operand(divisor, 'divide');
    if (this.registry.get(this.unit).isOffset || this.registry.get(q.unit).isOffset) {
      throw new UnitError('divide: ratios of temperatures on an offset scale are meaningless; convert to K first');
    }
    const other = convert(q.value, q.unit, this.unit, this.registry);
    if (other === 0) throw new RangeError('divide: division by zero');
    return cleanFloat(this.value / other);
  }

  /** @returns {Quantity} the quantity with its sign flipped */
  negate() {
    return new Quantity(-this.value, this.unit, this.registry);
  }

  /** @returns {Quantity} the quantity without its sign */
  abs() {
    return new Quantity(Math.abs(this.value), this.unit, this.registry);
  }

  /**
   * @param {Quantity|string} other
   * @returns {-1|0|1} the order of this quantity relative to `other`
   */
  compare(other) {
    const q = this._operand(other, 'compare');
    const theirs = convert(q.value, q.unit, this.unit, this.registry);
    if (nearlyEqual(this.value, theirs, 1e-12)) return 0;
    return this.value < theirs ? -1 : 1;
  }

  /**
   * @param {Quantity|string} other
   * @param {number} [tolerance=1e-9] relative tolerance
   * @returns {boolean} whether both quantities are equal after conversion
   */
  equals(other, tolerance = 1e-9) {
    const q = this._operand(other, 'equals');
    return nearlyEqual(this.value, convert(q.value, q.unit, this.unit, this.registry), tolerance);
  }

  /**
   * @param {object} [options] see format()
   * @returns {string}
   */
  format(options) {
    return format(this, options);
  }

  toString() {
    return format(this);
  }

  toJSON() {
    return { value: this.value, unit: this.unit };
  }

  [Symbol.toPrimitive](hint) {
    if (hint === 'number') {
      throw new TypeError('A Quantity cannot be used as a number; use .value or .to(unit)');
    }
    return this.toString();
  }
}

/**
 * Throw a DimensionError unless `a` and `b` have the same dimension.
 * @returns {Quantity} b
 */
function checkDimension(a, b, operation) {
  const da = a.dimension;
  const db = b.dimension;
  if (da !== db) {
    throw new DimensionError(`${operation}: cannot combine ${da} ("${a.unit}") with ${db} ("${b.unit}")`, da, db);
  }
  return b;
}

module.exports = { Quantity };
