'use strict';

/**
 * Parsing quantity strings such as "3.5 km", "10KiB", "-40 °C" or "1 h 30 min".
 * @module unitconv/parse
 */

const { ParseError, DimensionError } = require('./errors');
const { Quantity } = require('./quantity');
const { mergeOptions, describe } = require('./util');

const PARSE_DEFAULTS = {
  /** unit to use when the string is a bare number; null makes a bare number an error */
  defaultUnit: null,
};

const SPACE = /\s*/y;
const SIGN = /[+-]/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const UNIT = /[^\s\d+\-.,]+/y;

/** A cursor over the input string. */
class Scanner {
  /** @param {string} input */
  constructor(input) {
    this.input = input;
    this.pos = 0;
  }

  /**
   * Match a sticky regular expression at the cursor and advance past it.
   * @param {RegExp} pattern
   * @returns {string|null} the matched text, or null
   */
  read(pattern) {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.input);
    if (!match || match[0] === '') return null;
    this.pos += match[0].length;
    return match[0];
  }

  skipSpace() {
    this.read(SPACE);
  }

  get done() {
    return this.pos >= this.input.length;
  }
}

/**
 * Read one "number unit" part. Returns null for the unit when there is none.
 * @returns {{value: number, unitText: string|null, index: number, unitIndex: number}}
 */
function readPart(scanner, allowSign) {
  const index = scanner.pos;
  const sign = scanner.read(SIGN);
  if (sign && !allowSign) {
    throw new ParseError(`Only the first part of a compound quantity may have a sign (position ${index})`, scanner.input, index);
  }
  const digits = scanner.read(NUMBER);
  if (digits === null) {
    throw new ParseError(`Expected a number at position ${scanner.pos}`, scanner.input, scanner.pos);
  }
  const value = Number(digits) * (sign === '-' ? -1 : 1);
  if (!Number.isFinite(value)) {
    throw new ParseError(`Number "${digits}" is out of range`, scanner.input, index);
  }
  scanner.skipSpace();
  const unitIndex = scanner.pos;
  const unitText = scanner.read(UNIT);
  return { value, unitText, index, unitIndex };
}

/**
 * Combine the parts of "1 h 30 min" into one quantity, in the unit of the last part.
 * The sign of the first part applies to the whole quantity.
 */
function combineParts(parts, input, registry) {
  const units = parts.map((part) => registry.get(part.unitText));
  units.forEach((unit, i) => {
    if (unit.isOffset) {
      throw new ParseError(`"${unit.symbol}" cannot be part of a compound quantity`, input, parts[i].unitIndex);
    }
    if (unit.dimension !== units[0].dimension) {
      throw new DimensionError(
        `Cannot combine "${units[0].symbol}" (${units[0].dimension}) and "${unit.symbol}" (${unit.dimension})`,
        units[0].dimension,
        unit.dimension,
      );
    }
    if (i > 0 && unit.factor >= units[i - 1].factor) {
      throw new ParseError(
        `Parts of a compound quantity must go from larger to smaller units ("${units[i - 1].symbol}" then "${unit.symbol}")`,
        input,
        parts[i].unitIndex,
      );
    }
  });
  const negative = parts[0].value < 0;
  const magnitudes = parts.map((part, i) => new Quantity(Math.abs(part.value), units[i], registry));
  const total = Quantity.sum(magnitudes, units[units.length - 1]);
  return negative ? total.negate() : total;
}

/**
 * Parse a quantity string.
 *
 * Accepted: an optional sign, a decimal number (with optional exponent), optional
 * whitespace and a unit symbol, alias or long name ("3.5 km", "10KiB", "2 hours",
 * "1e3 m"). Several parts of one dimension may follow each other from larger to smaller
 * units ("1 h 30 min", "5 ft 3 in"); the result is in the last part's unit.
 *
 * @param {string} input
 * @param {object} [options]
 * @param {string|null} [options.defaultUnit] unit for a bare number
 * @param {import('./registry').Registry} registry
 * @returns {Quantity}
 */
function parse(input, options, registry) {
  if (typeof input !== 'string') {
    throw new TypeError(`parse: input must be a string, got ${describe(input)}`);
  }
  const opts = mergeOptions(PARSE_DEFAULTS, options, 'parse');
  const scanner = new Scanner(input);
  scanner.skipSpace();
  if (scanner.done) throw new ParseError('Cannot parse an empty string', input, 0);

  const parts = [];
  while (!scanner.done) {
    if (parts.length > 0) {
      NUMBER.lastIndex = scanner.pos;
      SIGN.lastIndex = scanner.pos;
      if (!NUMBER.test(input) && !SIGN.test(input)) {
        throw new ParseError(`Unexpected "${input.slice(scanner.pos)}" at position ${scanner.pos}`, input, scanner.pos);
      }
    }
    const part = readPart(scanner, parts.length === 0);
    scanner.skipSpace();
    if (part.unitText === null) {
      if (parts.length === 0 && scanner.done && opts.defaultUnit !== null) {
        return new Quantity(part.value, opts.defaultUnit, registry);
      }
      if (!scanner.done) {
        throw new ParseError(`Unexpected "${input.slice(scanner.pos)}" at position ${scanner.pos}`, input, scanner.pos);
      }
      throw new ParseError(`Missing unit after "${input.slice(part.index, scanner.pos).trim()}"`, input, scanner.pos);
    }
    parts.push(part);
  }

  if (parts.length === 1) {
    return new Quantity(parts[0].value, registry.get(parts[0].unitText), registry);
  }
  return combineParts(parts, input, registry);
}

module.exports = { parse, PARSE_DEFAULTS };
