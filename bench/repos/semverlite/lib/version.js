'use strict';

/**
 * The SemVer class: one parsed version.
 * @module semverlite/version
 */

const { MAX_LENGTH, MAX_SAFE_INTEGER } = require('./constants');
const re = require('./re');
const { parseOptions, sameOptions } = require('./options');
const {
  isNumericIdentifier,
  compareIdentifiers,
  compareIdentifierLists,
} = require('./identifiers');

/**
 * Parse one numeric component and check that it is a safe integer.
 *
 * @param {string} text digits matched by the grammar
 * @param {string} name which component, for the error message
 * @returns {number}
 */
function toComponent(text, name) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > MAX_SAFE_INTEGER) {
    throw new TypeError(`Invalid ${name} version: ${text} is larger than ${MAX_SAFE_INTEGER}`);
  }
  return value;
}

/**
 * A parsed semantic version.
 *
 * Prerelease identifiers that are numeric are stored as numbers (`1.0.0-rc.1` has prerelease
 * `['rc', 1]`); build identifiers are always strings because they never take part in precedence.
 */
class SemVer {
  /**
   * @param {string|SemVer} version a version string such as `1.2.3-beta.1+sha.5114f85`, or a SemVer
   * @param {import('./options').Options} [options]
   * @throws {TypeError} when the version is not a string or is not valid
   */
  constructor(version, options) {
    options = parseOptions(options);
    if (version instanceof SemVer) {
      // Already parsed with the same options: nothing to do.
      if (sameOptions(version.options, options)) return version;
      version = version.version;
    } else if (typeof version !== 'string') {
      throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
    }
    if (version.length > MAX_LENGTH) {
      throw new TypeError(`version is longer than ${MAX_LENGTH} characters`);
    }

    const m = version.trim().match(re.FULL);
    if (!m) throw new TypeError(`Invalid Version: ${version}`);

    /** @type {Readonly<{includePrerelease: boolean}>} */
    this.options = options;
    /** The string this version was parsed from. */
    this.raw = version;
    /** @type {number} */
    this.major = toComponent(m[1], 'major');
    /** @type {number} */
    this.minor = toComponent(m[2], 'minor');
    /** @type {number} */
    this.patch = toComponent(m[3], 'patch');
    /** @type {Array<string|number>} */
    this.prerelease = m[4]
      ? m[4].split('.').map((id) => (isNumericIdentifier(id) ? toComponent(id, 'prerelease') : id))
      : [];
    /** @type {string[]} */
    this.build = m[5] ? m[5].split('.') : [];
    this.format();
  }

  /**
   * Recompute `this.version` from the components (build metadata is not part of it).
   * @returns {string}
   */
  format() {
    this.version = `${this.major}.${this.minor}.${this.patch}`;
    if (this.prerelease.length) this.version += `-${this.prerelease.join('.')}`;
    return this.version;
  }

  /** @returns {string} */
  toString() {
    return this.version;
  }

  /**
   * Compare by precedence: main version first, then prerelease. Build metadata is ignored.
   *
   * @param {string|SemVer} other
   * @returns {-1|0|1}
   */
  compare(other) {
    other = asSemVer(other, this.options);
    if (other.version === this.version) return 0;
    return this.compareMain(other) || this.comparePre(other);
  }

  /**
   * Compare major, minor and patch only.
   *
   * @param {string|SemVer} other
   * @returns {-1|0|1}
   */
  compareMain(other) {
    other = asSemVer(other, this.options);
    return (
      compareIdentifiers(this.major, other.major) ||
      compareIdentifiers(this.minor, other.minor) ||
      compareIdentifiers(this.patch, other.patch)
    );
  }

  /**
   * Compare prerelease identifiers only. A version without a prerelease has higher precedence than one
   * with a prerelease.
   *
   * @param {string|SemVer} other
   * @returns {-1|0|1}
   */
  comparePre(other) {
    other = asSemVer(other, this.options);
    if (this.prerelease.length && !other.prerelease.length) return -1;
    if (!this.prerelease.length && other.prerelease.length) return 1;
    return compareIdentifierLists(this.prerelease, other.prerelease);
  }

  /**
   * Compare build metadata only. Not part of semver precedence; used to give sorts a stable, total order.
   *
   * @param {string|SemVer} other
   * @returns {-1|0|1}
   */
  compareBuild(other) {
    other = asSemVer(other, this.options);
    return compareIdentifierLists(this.build, other.build);
  }

  /**
   * Increment this version in place and return it.
   *
   * @param {string} release one of RELEASE_TYPES
   * @param {string} [identifier] prerelease identifier for the pre* release types, e.g. `'beta'`
   * @returns {this}
   * @throws {TypeError} on an unknown release type or an invalid identifier
   */
  inc(release, identifier) {
    if (identifier !== undefined && !re.PRERELEASEIDENTIFIER.test(String(identifier))) {
      throw new TypeError(`Invalid prerelease identifier: ${identifier}`);
    }
    switch (release) {
      case 'premajor':
        this.prerelease.length = 0;
        this.patch = 0;
        this.minor = 0;
        this.major++;
        this.bumpPrerelease(identifier);
        break;
      case 'preminor':
        this.prerelease.length = 0;
        this.patch = 0;
        this.minor++;
        this.bumpPrerelease(identifier);
        break;
      case 'prepatch':
        // Drop any prerelease first so that 1.2.3-beta prepatches to 1.2.4-0, not 1.2.3-0.
        this.prerelease.length = 0;
        this.inc('patch');
        this.bumpPrerelease(identifier);
        break;
      case 'prerelease':
        // 1.2.3 -> 1.2.4-0: a prerelease of a release is a prerelease of the next patch.
        if (this.prerelease.length === 0) this.inc('patch');
        this.bumpPrerelease(identifier);
        break;
      case 'major':
        // 1.0.0-5 -> 1.0.0, but 1.1.0-5 -> 2.0.0 and 1.0.0 -> 2.0.0.
        if (this.minor !== 0 || this.patch !== 0 || this.prerelease.length === 0) this.major++;
        this.minor = 0;
        this.patch = 0;
        this.prerelease = [];
        break;
      case 'minor':
        // 1.2.0-5 -> 1.2.0, but 1.2.1-5 -> 1.3.0 and 1.2.0 -> 1.3.0.
        if (this.patch !== 0 || this.prerelease.length === 0) this.minor++;
        this.patch = 0;
        this.prerelease = [];
        break;
      case 'patch':
        // 1.2.3-5 -> 1.2.3, but 1.2.3 -> 1.2.4.
        if (this.prerelease.length === 0) this.patch++;
        this.prerelease = [];
        break;
      default:
        throw new TypeError(`Invalid increment argument: ${release}`);
    }
    this.build = [];
    this.format();
    this.raw = this.version;
    return this;
  }

  /**
   * Move the prerelease part on by one: bump its last numeric identifier, or start a new counter.
   *
   * @param {string} [identifier]
   * @private
   */
  bumpPrerelease(identifier) {
    if (this.prerelease.length === 0) {
      this.prerelease = [0];
    } else {
      let i = this.prerelease.length;
      while (--i >= 0) {
        if (typeof this.prerelease[i] === 'number') {
          this.prerelease[i]++;
          break;
        }
      }
      // No numeric identifier to bump: append one.
      if (i === -1) this.prerelease.push(0);
    }
    if (identifier !== undefined) {
      // 1.2.0-beta.1 with 'beta' -> 1.2.0-beta.2; with 'rc' (or from 1.2.0-1) -> 1.2.0-rc.0.
      const sameName = compareIdentifiers(this.prerelease[0], identifier) === 0;
      if (!sameName || typeof this.prerelease[1] !== 'number') {
        this.prerelease = [identifier, 0];
      }
    }
  }
}

/**
 * Coerce a string or SemVer into a SemVer parsed with the given options.
 *
 * @param {string|SemVer} value
 * @param {import('./options').Options} options
 * @returns {SemVer}
 */
function asSemVer(value, options) {
  return value instanceof SemVer ? value : new SemVer(value, options);
}

module.exports = { SemVer };
