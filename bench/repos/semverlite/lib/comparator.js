'use strict';

/**
 * A single primitive comparator such as `>=1.2.3`: the building block of ranges.
 * @module semverlite/comparator
 */

const { SemVer } = require('./version');
const { cmp } = require('./functions');
const { parseOptions, sameOptions } = require('./options');
const re = require('./re');

/** Stands in for the version of a comparator that matches everything (`''`, `*`). */
const ANY = Object.freeze({ toString: () => '<ANY>' });

class Comparator {
  /** The sentinel used as `semver` by comparators that match any version. */
  static get ANY() {
    return ANY;
  }

  /**
   * @param {string|Comparator} comp an operator (`<`, `<=`, `>`, `>=`, `=` or none) and a full version
   * @param {import('./options').Options} [options]
   * @throws {TypeError} when the comparator cannot be parsed
   */
  constructor(comp, options) {
    options = parseOptions(options);
    if (comp instanceof Comparator) {
      if (sameOptions(comp.options, options)) return comp;
      comp = comp.value;
    }
    if (typeof comp !== 'string') {
      throw new TypeError(`Invalid comparator. Must be a string. Got type "${typeof comp}".`);
    }

    /** @type {Readonly<{includePrerelease: boolean}>} */
    this.options = options;
    this.parse(comp.trim().split(/\s+/).join(' '));
    /** The normalised comparator text; empty for ANY. */
    this.value = this.semver === ANY ? '' : this.operator + this.semver.version;
  }

  /**
   * @param {string} comp
   * @private
   */
  parse(comp) {
    const m = comp.match(re.COMPARATOR);
    if (!m) throw new TypeError(`Invalid comparator: ${comp}`);
    /** @type {''|'<'|'<='|'>'|'>='} */
    this.operator = m[1] !== undefined && m[1] !== '=' ? m[1] : '';
    /** @type {SemVer|typeof ANY} */
    this.semver = m[2] ? new SemVer(m[2], this.options) : ANY;
  }

  /** @returns {string} */
  toString() {
    return this.value;
  }

  /**
   * Whether a version satisfies this comparator on its own. Prerelease filtering is a property of the
   * whole comparator set and is done by Range, not here.
   *
   * @param {string|SemVer} version
   * @returns {boolean} false for invalid versions
   */
  test(version) {
    if (this.semver === ANY || version === ANY) return true;
    if (!(version instanceof SemVer)) {
      try {
        version = new SemVer(version, this.options);
      } catch {
        return false;
      }
    }
    return cmp(version, this.operator, this.semver, this.options);
  }
}

module.exports = { Comparator, ANY };
