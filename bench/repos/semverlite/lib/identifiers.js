'use strict';

/**
 * Comparison of prerelease and build identifiers (semver 2.0, section 11).
 * @module semverlite/identifiers
 */

const re = require('./re');

/**
 * Whether an identifier consists only of digits. Numbers (as stored for parsed prerelease identifiers)
 * count as numeric.
 *
 * @param {string|number} id
 * @returns {boolean}
 */
function isNumericIdentifier(id) {
  return typeof id === 'number' || re.NUMERIC.test(id);
}

/**
 * Compare two identifiers: numeric identifiers compare numerically and always sort before alphanumeric
 * ones; alphanumeric identifiers compare in ASCII order.
 *
 * @param {string|number} a
 * @param {string|number} b
 * @returns {-1|0|1}
 */
function compareIdentifiers(a, b) {
  const anum = isNumericIdentifier(a);
  const bnum = isNumericIdentifier(b);
  if (anum && bnum) {
    a = Number(a);
    b = Number(b);
  } else if (anum) {
    return -1;
  } else if (bnum) {
    return 1;
  }
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * compareIdentifiers with the arguments swapped, for descending sorts.
 *
 * @param {string|number} a
 * @param {string|number} b
 * @returns {-1|0|1}
 */
function rcompareIdentifiers(a, b) {
  return compareIdentifiers(b, a);
}

/**
 * Compare two lists of identifiers field by field, left to right. When one list is a prefix of the other,
 * the longer list has the higher precedence (`alpha` < `alpha.1`).
 *
 * @param {Array<string|number>} a
 * @param {Array<string|number>} b
 * @returns {-1|0|1}
 */
function compareIdentifierLists(a, b) {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const result = compareIdentifiers(a[i], b[i]);
    if (result !== 0) return result;
  }
  return 0;
}

module.exports = {
  isNumericIdentifier,
  compareIdentifiers,
  rcompareIdentifiers,
  compareIdentifierLists,
};
