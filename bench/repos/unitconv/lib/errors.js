'use strict';

/**
 * Error classes thrown by unitconv. Every error the library throws on purpose is a
 * `UnitError` (or a subclass), except plain `TypeError`/`RangeError` for arguments of
 * the wrong JavaScript type or out of range.
 * @module unitconv/errors
 */

/** Base class of all unitconv errors. */
class UnitError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'UnitError';
  }
}

/** A unit symbol or name that the registry does not know. */
class UnknownUnitError extends UnitError {
  /** @param {string} unit the text that could not be resolved */
  constructor(unit) {
    super(`Unknown unit "${unit}"`);
    this.name = 'UnknownUnitError';
    this.unit = unit;
  }
}

/** Two quantities or units of different dimensions were combined. */
class DimensionError extends UnitError {
  /**
   * @param {string} message
   * @param {string} [expected] the dimension that was required
   * @param {string} [actual] the dimension that was found
   */
  constructor(message, expected, actual) {
    super(message);
    this.name = 'DimensionError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** A quantity string could not be parsed. */
class ParseError extends UnitError {
  /**
   * @param {string} message
   * @param {string} input the full input string
   * @param {number} index position in `input` where the problem was found
   */
  constructor(message, input, index) {
    super(message);
    this.name = 'ParseError';
    this.input = input;
    this.index = index;
  }
}

module.exports = { UnitError, UnknownUnitError, DimensionError, ParseError };
