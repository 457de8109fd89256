'use strict';

/**
 * semverlite: semantic versioning (https://semver.org) for Node, with npm-style ranges.
 *
 * @example
 * const semver = require('semverlite');
 * semver.gt('1.10.0', '1.9.3');                       // true
 * semver.inc('1.2.3', 'prerelease', 'beta');           // '1.2.4-beta.0'
 * semver.satisfies('1.4.0', '^1.2.0 || ~2.0.1');       // true
 * semver.maxSatisfying(['1.2.3', '1.9.0', '2.0.0'], '~1.2 || 1.9'); // '1.9.0'
 *
 * @module semverlite
 */

const { SemVer } = require('./version');
const { Comparator } = require('./comparator');
const { Range, satisfies, validRange, maxSatisfying, minSatisfying } = require('./range');
const functions = require('./functions');
const { compareIdentifiers, rcompareIdentifiers } = require('./identifiers');
const { RELEASE_TYPES, MAX_LENGTH } = require('./constants');

module.exports = {
  // classes
  SemVer,
  Comparator,
  Range,
  // versions
  parse: functions.parse,
  valid: functions.valid,
  clean: functions.clean,
  coerce: functions.coerce,
  inc: functions.inc,
  diff: functions.diff,
  major: functions.major,
  minor: functions.minor,
  patch: functions.patch,
  prerelease: functions.prerelease,
  // comparison
  compare: functions.compare,
  rcompare: functions.rcompare,
  compareBuild: functions.compareBuild,
  compareIdentifiers,
  rcompareIdentifiers,
  gt: functions.gt,
  gte: functions.gte,
  lt: functions.lt,
  lte: functions.lte,
  eq: functions.eq,
  neq: functions.neq,
  cmp: functions.cmp,
  sort: functions.sort,
  rsort: functions.rsort,
  // ranges
  satisfies,
  validRange,
  maxSatisfying,
  minSatisfying,
  // constants
  RELEASE_TYPES,
  MAX_LENGTH,
};
