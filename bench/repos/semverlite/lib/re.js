'use strict';

/**
 * The regular expressions behind every parser in the library, assembled from small named pieces so that
 * the grammar of https://semver.org (and of npm-style ranges) can be read off the source.
 * @module semverlite/re
 */

// A numeric identifier: zero, or digits without a leading zero.
const NUMERICIDENTIFIER = '0|[1-9]\\d*';

// A non-numeric identifier: at least one letter or hyphen somewhere in it.
const NONNUMERICIDENTIFIER = '\\d*[a-zA-Z-][a-zA-Z0-9-]*';

// major.minor.patch, each captured.
const MAINVERSION = `(${NUMERICIDENTIFIER})\\.(${NUMERICIDENTIFIER})\\.(${NUMERICIDENTIFIER})`;

// One dot-separated prerelease identifier; numeric ones may not have leading zeros.
const PRERELEASEIDENTIFIER = `(?:${NUMERICIDENTIFIER}|${NONNUMERICIDENTIFIER})`;

// `-alpha.1`: the identifiers are captured without the hyphen.
const PRERELEASE = `(?:-(${PRERELEASEIDENTIFIER}(?:\\.${PRERELEASEIDENTIFIER})*))`;

// One build metadata identifier: any run of alphanumerics and hyphens, leading zeros allowed.
const BUILDIDENTIFIER = '[0-9A-Za-z-]+';

// `+build.5`: the identifiers are captured without the plus sign.
const BUILD = `(?:\\+(${BUILDIDENTIFIER}(?:\\.${BUILDIDENTIFIER})*))`;

// A complete version with an optional leading `v`. Captures: major, minor, patch, prerelease, build.
const FULLPLAIN = `v?${MAINVERSION}${PRERELEASE}?${BUILD}?`;

// A comparison operator: <, >, <=, >=, = or nothing.
const GTLT = '((?:<|>)?=?)';

// A version component inside a range may be a wildcard: x, X or *.
const XRANGEIDENTIFIER = `${NUMERICIDENTIFIER}|x|X|\\*`;

// A possibly partial version such as `1`, `1.2`, `1.x`, `1.2.3-beta`. Captures: major, minor, patch,
// prerelease, build; missing components are undefined.
const XRANGEPLAIN =
  `[v=\\s]*(${XRANGEIDENTIFIER})` +
  `(?:\\.(${XRANGEIDENTIFIER})` +
  `(?:\\.(${XRANGEIDENTIFIER})` +
  `${PRERELEASE}?${BUILD}?)?)?`;

/**
 * The compiled expressions.
 * @type {Readonly<Record<string, RegExp>>}
 */
const re = Object.freeze({
  /** A whole version string. */
  FULL: new RegExp(`^${FULLPLAIN}$`),
  /** A single prerelease identifier (used to validate identifiers passed to inc()). */
  PRERELEASEIDENTIFIER: new RegExp(`^${PRERELEASEIDENTIFIER}$`),
  /** A numeric identifier. */
  NUMERIC: /^[0-9]+$/,
  /** A primitive comparator such as `>=1.2.3`, or the empty string (matches anything). */
  COMPARATOR: new RegExp(`^${GTLT}\\s*(${FULLPLAIN})$|^$`),
  /** An operator followed by a possibly partial version: `>=1.2`, `<2`, `1.x`. */
  XRANGE: new RegExp(`^${GTLT}\\s*${XRANGEPLAIN}$`),
  /** A tilde range: `~1.2.3`, `~>1.2`. */
  TILDE: new RegExp(`^~>?${XRANGEPLAIN}$`),
  /** A caret range: `^1.2.3`, `^0.x`. */
  CARET: new RegExp(`^\\^${XRANGEPLAIN}$`),
  /** A hyphen range covering a whole comparator set: `1.2.3 - 2.3.4`. */
  HYPHENRANGE: new RegExp(`^\\s*(${XRANGEPLAIN})\\s+-\\s+(${XRANGEPLAIN})\\s*$`),
  /** Whitespace between an operator and its version, which ranges allow: `>= 1.2.3`. */
  OPERATORTRIM: /(<=|>=|<|>|=|\^|~>?)\s+/g,
  /** The first thing in a string that looks like a (possibly partial) version, for coerce(). */
  COERCE: /(^|[^\d])(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?:$|[^\d])/,
});

module.exports = re;
