'use strict';

/**
 * The unit registry: unit definitions, their aliases and long names, prefix resolution
 * ("km", "kilometres", "KiB") and the preferred display units per dimension and system.
 * @module unitconv/registry
 */

const { UnitError, UnknownUnitError, DimensionError } = require('./errors');
const { prefixSet, splitPrefix } = require('./prefixes');
const { isFiniteNumber, describe } = require('./util');

/** Characters a unit symbol may not contain; the parser relies on this. */
const SYMBOL_PATTERN = /^[^\s\d+\-.,]+$/;
const DIMENSION_PATTERN = /^[a-z][a-z0-9_-]*$/i;

/**
 * One unit. Instances are immutable; prefixed units ("km") are derived on demand from
 * their base unit ("m").
 */
class Unit {
  /**
   * @param {object} spec
   * @param {string} spec.symbol
   * @param {string} spec.name
   * @param {string} spec.dimension
   * @param {number} spec.factor size of one unit in the dimension's base unit
   * @param {number} spec.offset zero point shift, in this unit (273.15 for Celsius)
   * @param {string} spec.prefixes name of the prefix set the unit accepts
   * @param {string} spec.display text used when formatting
   * @param {string|null} spec.system measurement system, e.g. "metric"
   * @param {Unit|null} [spec.base] the unprefixed unit, for prefixed units
   * @param {import('./prefixes').Prefix|null} [spec.prefix]
   */
  constructor(spec) {
    this.symbol = spec.symbol;
    this.name = spec.name;
    this.dimension = spec.dimension;
    this.factor = spec.factor;
    this.offset = spec.offset;
    this.prefixes = spec.prefixes;
    this.display = spec.display;
    this.system = spec.system;
    this.base = spec.base || null;
    this.prefix = spec.prefix || null;
    Object.freeze(this);
  }

  /** True for units whose zero is not the dimension's zero (Celsius, Fahrenheit). */
  get isOffset() {
    return this.offset !== 0;
  }

  /**
   * @param {import('./prefixes').Prefix} p
   * @returns {boolean}
   */
  acceptsPrefix(p) {
    return prefixSet(this.prefixes).includes(p);
  }

  /**
   * The unit with `p` applied, e.g. m -> km.
   * @param {import('./prefixes').Prefix} p
   * @returns {Unit}
   */
  withPrefix(p) {
    return new Unit({
      symbol: p.symbol + this.symbol,
      name: p.name + this.name,
      dimension: this.dimension,
      factor: p.factor * this.factor,
      offset: 0,
      prefixes: 'none',
      display: p.symbol + this.display,
      system: p.kind === 'binary' ? 'binary' : this.system,
      base: this,
      prefix: p,
    });
  }

  toString() {
    return this.symbol;
  }
}

function checkSpelling(value, what) {
  if (typeof value !== 'string' || !SYMBOL_PATTERN.test(value)) {
    throw new UnitError(
      `${what} must be a non-empty string without spaces, digits, signs, dots or commas, got ${describe(value)}`,
    );
  }
}

/** A set of units that can be looked up by symbol, alias or long name. */
class Registry {
  constructor() {
    /** @type {Map<string, Unit>} canonical symbol -> unit */
    this._units = new Map();
    /** @type {Map<string, string>} alternative symbol -> canonical symbol */
    this._aliases = new Map();
    /** @type {Map<string, string>} long name -> canonical symbol */
    this._names = new Map();
    /** @type {Map<string, Unit>} resolved spellings, including prefixed ones */
    this._cache = new Map();
    /** @type {Map<string, Map<string, Unit[]>>} dimension -> system -> units, smallest first */
    this._preferred = new Map();
  }

  /**
   * Define a new unit.
   * @param {object} spec
   * @param {string} spec.symbol canonical symbol, e.g. "m"
   * @param {string} spec.dimension e.g. "length"
   * @param {number} [spec.factor=1] size in the dimension's base unit (> 0)
   * @param {number} [spec.offset=0] zero point shift, in this unit
   * @param {string} [spec.name] long singular name, defaults to the symbol
   * @param {string[]} [spec.names] more long names (plurals, spellings); prefix names combine with these
   * @param {string[]} [spec.aliases] alternative symbols, e.g. "°C"
   * @param {string} [spec.prefixes="none"] "none", "si", "si-multiples", "binary" or "data"
   * @param {string} [spec.display] text used when formatting, defaults to the symbol
   * @param {string|null} [spec.system=null] measurement system, e.g. "metric" or "imperial"
   * @returns {Unit}
   */
  define(spec) {
    if (spec === null || typeof spec !== 'object') {
      throw new TypeError(`Unit definition must be an object, got ${describe(spec)}`);
    }
    const {
      symbol,
      dimension,
      factor = 1,
      offset = 0,
      name = symbol,
      names = [],
      aliases = [],
      prefixes = 'none',
      display = symbol,
      system = null,
    } = spec;
    checkSpelling(symbol, 'Unit symbol');
    if (typeof dimension !== 'string' || !DIMENSION_PATTERN.test(dimension)) {
      throw new UnitError(`Unit "${symbol}": dimension must be a word, got ${describe(dimension)}`);
    }
    if (!isFiniteNumber(factor) || factor <= 0) {
      throw new UnitError(`Unit "${symbol}": factor must be a positive finite number, got ${describe(factor)}`);
    }
    if (!isFiniteNumber(offset)) {
      throw new UnitError(`Unit "${symbol}": offset must be a finite number, got ${describe(offset)}`);
    }
    prefixSet(prefixes);
    if (offset !== 0 && prefixes !== 'none') {
      throw new UnitError(`Unit "${symbol}": a unit with an offset cannot take prefixes`);
    }
    if (system !== null && (typeof system !== 'string' || system === '')) {
      throw new UnitError(`Unit "${symbol}": system must be a non-empty string or null`);
    }
    if (!Array.isArray(names) || !Array.isArray(aliases)) {
      throw new UnitError(`Unit "${symbol}": names and aliases must be arrays`);
    }
    checkSpelling(name, `Unit "${symbol}": name`);
    names.forEach((n) => checkSpelling(n, `Unit "${symbol}": name`));
    aliases.forEach((a) => checkSpelling(a, `Unit "${symbol}": alias`));
    const longNames = [...new Set([name, ...names])].filter((n) => n !== symbol);
    for (const spelling of [symbol, ...aliases, ...longNames]) {
      if (this._units.has(spelling) || this._aliases.has(spelling) || this._names.has(spelling)) {
        throw new UnitError(`"${spelling}" is already defined`);
      }
    }

    const unit = new Unit({ symbol, name, dimension, factor, offset, prefixes, display, system });
    this._units.set(symbol, unit);
    aliases.forEach((a) => this._aliases.set(a, symbol));
    longNames.forEach((n) => this._names.set(n, symbol));
    this._cache.clear();
    return unit;
  }

  /**
   * Resolve a symbol, alias or long name, with or without a prefix.
   * @param {string|Unit} spelling
   * @returns {Unit|null} null when unknown
   */
  lookup(spelling) {
    if (spelling instanceof Unit) return spelling;
    if (typeof spelling !== 'string') return null;
    const key = spelling.trim();
    if (key === '') return null;
    if (this._cache.has(key)) return this._cache.get(key);
    const direct = this._units.get(key) || this._units.get(this._aliases.get(key)) || this._units.get(this._names.get(key));
    const unit = direct || this._resolvePrefixed(key);
    if (unit) this._cache.set(key, unit);
    return unit;
  }

  /**
   * Like {@link Registry#lookup} but throws for unknown units.
   * @param {string|Unit} spelling
   * @returns {Unit}
   */
  get(spelling) {
    const unit = this.lookup(spelling);
    if (!unit) {
      if (typeof spelling !== 'string') {
        throw new TypeError(`A unit must be given as a string, got ${describe(spelling)}`);
      }
      throw new UnknownUnitError(spelling);
    }
    return unit;
  }

  /**
   * @param {string} spelling
   * @returns {boolean} whether `spelling` resolves to a unit
   */
  has(spelling) {
    return this.lookup(spelling) !== null;
  }

  /** @private */
  _resolvePrefixed(key) {
    for (const { prefix, rest } of splitPrefix(key, 'symbol')) {
      const base = this._units.get(rest);
      if (base && base.acceptsPrefix(prefix)) return base.withPrefix(prefix);
    }
    for (const { prefix, rest } of splitPrefix(key, 'name')) {
      const base = this._units.get(this._names.get(rest));
      if (base && base.acceptsPrefix(prefix)) return base.withPrefix(prefix);
    }
    return null;
  }

  /**
   * The defined (unprefixed) units, optionally only those of one dimension.
   * @param {string} [dimension]
   * @returns {Unit[]}
   */
  units(dimension) {
    const all = [...this._units.values()];
    return dimension === undefined ? all : all.filter((u) => u.dimension === dimension);
  }

  /** @returns {string[]} every dimension that has at least one unit, sorted */
  dimensions() {
    return [...new Set(this.units().map((u) => u.dimension))].sort();
  }

  /**
   * Set the units `format(..., { unit: 'best' })` may choose from for one dimension and
   * measurement system. The first system set for a dimension is its default.
   * @param {string} dimension
   * @param {string} system
   * @param {string[]} symbols
   */
  setPreferred(dimension, system, symbols) {
    if (typeof system !== 'string' || system === '') {
      throw new UnitError(`setPreferred: system must be a non-empty string, got ${describe(system)}`);
    }
    if (!Array.isArray(symbols) || symbols.length === 0) {
      throw new UnitError('setPreferred: symbols must be a non-empty array');
    }
    const units = symbols.map((s) => this.get(s));
    for (const unit of units) {
      if (unit.dimension !== dimension) {
        throw new DimensionError(
          `setPreferred: "${unit.symbol}" is a unit of ${unit.dimension}, not ${dimension}`,
          dimension,
          unit.dimension,
        );
      }
    }
    units.sort((a, b) => a.factor - b.factor);
    if (!this._preferred.has(dimension)) this._preferred.set(dimension, new Map());
    this._preferred.get(dimension).set(system, units);
  }

  /**
   * @param {string} dimension
   * @param {string} [system] defaults to the dimension's first system
   * @returns {Unit[]|null} the preferred units, smallest first, or null if none were set
   */
  preferred(dimension, system) {
    const bySystem = this._preferred.get(dimension);
    if (!bySystem) return null;
    if (system === undefined || system === null) return bySystem.values().next().value;
    return bySystem.get(system) || null;
  }

  /** @returns {string[]} every system named by a unit or a preferred list */
  systems() {
    const names = new Set();
    this.units().forEach((u) => u.system && names.add(u.system));
    this._preferred.forEach((bySystem) => bySystem.forEach((_, s) => names.add(s)));
    return [...names].sort();
  }
}

module.exports = { Registry, Unit };
