'use strict';

/**
 * Functional helpers over versions: parsing, comparison, sorting, incrementing and diffing.
 * Every function accepts version strings or SemVer instances.
 * @module semverlite/functions
 */

const { SemVer } = require('./version');
const { RELEASE_TYPES } = require('./constants');
const re = require('./re');

/**
 * Parse a version, returning null instead of throwing when it is invalid.
 *
 * @param {string|SemVer} version
 * @param {import('./options').Options} [options]
 * @param {boolean} [throwErrors=false] rethrow the parse error instead of returning null
 * @returns {SemVer|null}
 */
function parse(version, options, throwErrors = false) {
  if (version instanceof SemVer) return version;
  try {
    return new SemVer(version, options);
  } catch (err) {
    if (throwErrors) throw err;
    return null;
  }
}

/**
 * The normalised version string, or null if the input is not a valid version.
 *
 * @param {string|SemVer} version
 * @param {import('./options').Options} [options]
 * @returns {string|null}
 */
function valid(version, options) {
  const v = parse(version, options);
  return v ? v.version : null;
}

/**
 * Like valid(), but also strips surrounding whitespace and leading `=` / `v` characters.
 *
 * @param {string} version
 * @param {import('./options').Options} [options]
 * @returns {string|null}
 */
function clean(version, options) {
  if (typeof version !== 'string') return null;
  return valid(version.trim().replace(/^[=v]+/, ''), options);
}

/**
 * Extract a version from a string that merely contains one: `'v2'` -> `2.0.0`,
 * `'release-1.4 final'` -> `1.4.0`. Prerelease and build parts are dropped.
 *
 * @param {string|number|SemVer} input
 * @returns {SemVer|null}
 */
function coerce(input) {
  if (input instanceof SemVer) return input;
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return null;
  const m = input.match(re.COERCE);
  if (!m) return null;
  return parse(`${m[2]}.${m[3] || '0'}.${m[4] || '0'}`);
}

/**
 * Compare two versions by semver precedence.
 *
 * @param {string|SemVer} a
 * @param {string|SemVer} b
 * @param {import('./options').Options} [options]
 * @returns {-1|0|1}
 * @throws {TypeError} if either version is invalid
 */
function compare(a, b, options) {
  return new SemVer(a, options).compare(new SemVer(b, options));
}

/** compare() with the arguments swapped. */
function rcompare(a, b, options) {
  return compare(b, a, options);
}

/**
 * Like compare(), but versions equal by precedence are ordered by their build metadata.
 *
 * @param {string|SemVer} a
 * @param {string|SemVer} b
 * @param {import('./options').Options} [options]
 * @returns {-1|0|1}
 */
function compareBuild(a, b, options) {
  const va = new SemVer(a, options);
  const vb = new SemVer(b, options);
  return va.compare(vb) || va.compareBuild(vb);
}

const gt = (a, b, options) => compare(a, b, options) > 0;
const gte = (a, b, options) => compare(a, b, options) >= 0;
const lt = (a, b, options) => compare(a, b, options) < 0;
const lte = (a, b, options) => compare(a, b, options) <= 0;
const eq = (a, b, options) => compare(a, b, options) === 0;
const neq = (a, b, options) => compare(a, b, options) !== 0;

/**
 * Compare two versions with an operator given as a string.
 *
 * @param {string|SemVer} a
 * @param {string} op one of `'' = == === != !== > >= < <='`
 * @param {string|SemVer} b
 * @param {import('./options').Options} [options]
 * @returns {boolean}
 * @throws {TypeError} on an unknown operator
 */
function cmp(a, op, b, options) {
  switch (op) {
    case '===':
      return String(a instanceof SemVer ? a.version : a) === String(b instanceof SemVer ? b.version : b);
    case '!==':
      return String(a instanceof SemVer ? a.version : a) !== String(b instanceof SemVer ? b.version : b);
    case '':
    case '=':
    case '==':
      return eq(a, b, options);
    case '!=':
      return neq(a, b, options);
    case '>':
      return gt(a, b, options);
    case '>=':
      return gte(a, b, options);
    case '<':
      return lt(a, b, options);
    case '<=':
      return lte(a, b, options);
    default:
      throw new TypeError(`Invalid operator: ${op}`);
  }
}

/**
 * Sort versions in ascending order (by precedence, then build metadata). Returns a new array; the
 * elements are the caller's own values, not normalised copies.
 *
 * @template {string|SemVer} T
 * @param {T[]} list
 * @param {import('./options').Options} [options]
 * @returns {T[]}
 */
function sort(list, options) {
  if (!Array.isArray(list)) throw new TypeError('sort() expects an array of versions');
  return [...list].sort((a, b) => compareBuild(a, b, options));
}

/** sort() in descending order. */
function rsort(list, options) {
  if (!Array.isArray(list)) throw new TypeError('rsort() expects an array of versions');
  return [...list].sort((a, b) => compareBuild(b, a, options));
}

/**
 * The version that results from incrementing `version` by `release`. The input is never modified.
 *
 * @param {string|SemVer} version
 * @param {string} release one of RELEASE_TYPES
 * @param {string} [identifier] prerelease identifier, e.g. `'beta'`
 * @returns {string|null} null when `version` is not a valid version
 * @throws {TypeError} on an unknown release type
 */
function inc(version, release, identifier) {
  if (!RELEASE_TYPES.includes(release)) {
    throw new TypeError(`Invalid release type: ${release}. Expected one of ${RELEASE_TYPES.join(', ')}`);
  }
  const parsed = parse(version);
  if (!parsed) return null;
  // Work on a copy: SemVer#inc mutates, and the caller's object must not change.
  const copy = new SemVer(parsed.version, parsed.options);
  return copy.inc(release, identifier).version;
}

/**
 * The most significant difference between two versions: `'major'`, `'premajor'`, `'minor'`,
 * `'preminor'`, `'patch'`, `'prepatch'`, `'prerelease'`, or null when they are equal.
 *
 * @param {string|SemVer} a
 * @param {string|SemVer} b
 * @returns {string|null}
 */
function diff(a, b) {
  const v1 = parse(a, undefined, true);
  const v2 = parse(b, undefined, true);
  const comparison = v1.compare(v2);
  if (comparison === 0) return null;

  const high = comparison > 0 ? v1 : v2;
  const low = comparison > 0 ? v2 : v1;
  const highHasPre = high.prerelease.length > 0;
  const lowHasPre = low.prerelease.length > 0;

  if (lowHasPre && !highHasPre) {
    // Going from a prerelease to a release: 1.0.0-1 -> 1.0.0 is a major change, 1.1.0-1 -> 1.1.0 minor.
    if (!low.patch && !low.minor) return 'major';
    if (low.compareMain(high) === 0) {
      if (low.minor && !low.patch) return 'minor';
      return 'patch';
    }
  }

  const prefix = highHasPre ? 'pre' : '';
  if (v1.major !== v2.major) return `${prefix}major`;
  if (v1.minor !== v2.minor) return `${prefix}minor`;
  if (v1.patch !== v2.patch) return `${prefix}patch`;
  return 'prerelease';
}

/** @returns {number} the major component of a valid version */
const major = (v, options) => new SemVer(v, options).major;
/** @returns {number} the minor component of a valid version */
const minor = (v, options) => new SemVer(v, options).minor;
/** @returns {number} the patch component of a valid version */
const patch = (v, options) => new SemVer(v, options).patch;

/**
 * The prerelease identifiers of a version, or null if it has none or is invalid.
 *
 * @param {string|SemVer} version
 * @param {import('./options').Options} [options]
 * @returns {Array<string|number>|null}
 */
function prerelease(version, options) {
  const v = parse(version, options);
  return v && v.prerelease.length ? [...v.prerelease] : null;
}

module.exports = {
  parse,
  valid,
  clean,
  coerce,
  compare,
  rcompare,
  compareBuild,
  gt,
  gte,
  lt,
  lte,
  eq,
  neq,
  cmp,
  sort,
  rsort,
  inc,
  diff,
  major,
  minor,
  patch,
  prerelease,
};
