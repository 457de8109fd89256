'use strict';

/**
 * Ranges: sets of comparators joined by `||`, with npm's sugar (`^`, `~`, x-ranges, hyphen ranges)
 * translated into primitive comparators.
 * @module semverlite/range
 */

const { MAX_LENGTH } = require('./constants');
const { SemVer } = require('./version');
const { Comparator, ANY } = require('./comparator');
const { compare } = require('./functions');
const { parseOptions, sameOptions } = require('./options');
const re = require('./re');

/**
 * Whether a version component from a range is missing or a wildcard.
 *
 * @param {string|undefined} id
 * @returns {boolean}
 */
const isX = (id) => !id || id === 'x' || id === 'X' || id === '*';

/**
 * `~1.2.3` := `>=1.2.3 <1.3.0-0`, `~1.2` := `>=1.2.0 <1.3.0-0`, `~1` := `>=1.0.0 <2.0.0-0`.
 *
 * @param {RegExpMatchArray} m a TILDE match
 * @param {{includePrerelease: boolean}} options
 * @returns {string}
 */
function replaceTilde([, M, m, p, pr], options) {
  const z = options.includePrerelease ? '-0' : '';
  if (isX(M)) return '';
  if (isX(m)) return `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
  if (isX(p)) return `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
  const from = pr ? `${M}.${m}.${p}-${pr}` : `${M}.${m}.${p}${z}`;
  return `>=${from} <${M}.${+m + 1}.0-0`;
}

/**
 * `^1.2.3` := `>=1.2.3 <2.0.0-0`, `^0.2.3` := `>=0.2.3 <0.3.0-0`, `^0.0.3` := `>=0.0.3 <0.0.4-0`:
 * everything up to the next change of the left-most non-zero component.
 *
 * @param {RegExpMatchArray} m a CARET match
 * @param {{includePrerelease: boolean}} options
 * @returns {string}
 */
function replaceCaret([, M, m, p, pr], options) {
  const z = options.includePrerelease ? '-0' : '';
  if (isX(M)) return '';
  if (isX(m)) return `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
  if (isX(p)) {
    if (M === '0') return `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
    return `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
  }
  const from = pr ? `${M}.${m}.${p}-${pr}` : `${M}.${m}.${p}${z}`;
  if (M === '0') {
    if (m === '0') return `>=${from} <${M}.${m}.${+p + 1}-0`;
    return `>=${from} <${M}.${+m + 1}.0-0`;
  }
  return `>=${from} <${+M + 1}.0.0-0`;
}

/**
 * An operator with a possibly partial version: `1.2.x` := `>=1.2.0 <1.3.0-0`, `>1.2` := `>=1.3.0`,
 * `<=1.2` := `<1.3.0-0`, `*` := anything. Full versions pass through unchanged (minus build metadata).
 *
 * @param {RegExpMatchArray} match an XRANGE match
 * @param {{includePrerelease: boolean}} options
 * @returns {string}
 */
function replaceXRange([, operator, M, m, p, pr], options) {
  let gtlt = operator;
  const xM = isX(M);
  const xm = xM || isX(m);
  const xp = xm || isX(p);

  if (!xp) return `${gtlt}${M}.${m}.${p}${pr ? `-${pr}` : ''}`;

  if (gtlt === '=') gtlt = '';
  let z = options.includePrerelease ? '-0' : '';

  if (xM) {
    // `>*` and `<*` can match nothing; every other operator with `*` matches everything.
    return gtlt === '>' || gtlt === '<' ? '<0.0.0-0' : '';
  }

  if (gtlt) {
    // Fill in the missing components with zeros, then adjust the operator so that the partial
    // version means "the whole of 1.2.x" on either side.
    let major = +M;
    let minor = xm ? 0 : +m;
    if (gtlt === '>') {
      // >1 := >=2.0.0, >1.2 := >=1.3.0
      gtlt = '>=';
      if (xm) {
        major += 1;
        minor = 0;
      } else {
        minor += 1;
      }
    } else if (gtlt === '<=') {
      // <=1 := <2.0.0-0, <=1.2 := <1.3.0-0
      gtlt = '<';
      if (xm) major += 1;
      else minor += 1;
    }
    if (gtlt === '<') z = '-0';
    return `${gtlt}${major}.${minor}.0${z}`;
  }

  if (xm) return `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
  return `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
}

/**
 * `1.2.3 - 2.3.4` := `>=1.2.3 <=2.3.4`. A partial lower bound is filled with zeros (`1.2 - 2.3.4` :=
 * `>=1.2.0 <=2.3.4`); a partial upper bound includes the whole of it (`1.2.3 - 2.3` := `>=1.2.3 <2.4.0-0`).
 *
 * @param {RegExpMatchArray} match a HYPHENRANGE match
 * @param {{includePrerelease: boolean}} options
 * @returns {string}
 */
function replaceHyphen(match, options) {
  const [, , fM, fm, fp, fpr, , , tM, tm, tp, tpr] = match;
  const z = options.includePrerelease ? '-0' : '';

  let from;
  if (isX(fM)) from = '';
  else if (isX(fm)) from = `>=${fM}.0.0${z}`;
  else if (isX(fp)) from = `>=${fM}.${fm}.0${z}`;
  else if (fpr) from = `>=${fM}.${fm}.${fp}-${fpr}`;
  else from = `>=${fM}.${fm}.${fp}${z}`;

  let to;
  if (isX(tM)) to = '';
  else if (isX(tm)) to = `<${+tM + 1}.0.0-0`;
  else if (isX(tp)) to = `<${tM}.${+tm + 1}.0-0`;
  else if (tpr) to = `<=${tM}.${tm}.${tp}-${tpr}`;
  else to = `<=${tM}.${tm}.${tp}`;

  return `${from} ${to}`.trim();
}

/**
 * Translate one whitespace-free token of a range into primitive comparators.
 *
 * @param {string} token
 * @param {{includePrerelease: boolean}} options
 * @returns {string} zero, one or two comparators separated by a space
 */
function desugar(token, options) {
  let m;
  if ((m = token.match(re.CARET))) return replaceCaret(m, options);
  if ((m = token.match(re.TILDE))) return replaceTilde(m, options);
  if ((m = token.match(re.XRANGE))) return replaceXRange(m, options);
  // Not sugar: let Comparator validate it and report the error.
  return token;
}

/**
 * Whether a version satisfies every comparator in a set, applying the prerelease rule: a prerelease
 * version only matches if some comparator in the set names a prerelease of the same major.minor.patch
 * (unless options.includePrerelease is set).
 *
 * @param {Comparator[]} set
 * @param {SemVer} version
 * @param {{includePrerelease: boolean}} options
 * @returns {boolean}
 */
function testSet(set, version, options) {
  for (const comparator of set) {
    if (!comparator.test(version)) return false;
  }
  if (version.prerelease.length === 0 || options.includePrerelease) return true;

  for (const comparator of set) {
    if (comparator.semver === ANY) continue;
    const allowed = comparator.semver;
    if (
      allowed.prerelease.length > 0 &&
      allowed.major === version.major &&
      allowed.minor === version.minor &&
      allowed.patch === version.patch
    ) {
      return true;
    }
  }
  return false;
}

class Range {
  /**
   * @param {string|Range|Comparator} range e.g. `'^1.2.3 || >=2.5.0 <3'`
   * @param {import('./options').Options} [options]
   * @throws {TypeError} when the range cannot be parsed
   */
  constructor(range, options) {
    options = parseOptions(options);
    if (range instanceof Range) {
      if (sameOptions(range.options, options)) return range;
      range = range.raw;
    } else if (range instanceof Comparator) {
      range = range.value;
    }
    if (typeof range !== 'string') {
      throw new TypeError(`Invalid range. Must be a string. Got type "${typeof range}".`);
    }
    if (range.length > MAX_LENGTH) {
      throw new TypeError(`range is longer than ${MAX_LENGTH} characters`);
    }

    /** @type {Readonly<{includePrerelease: boolean}>} */
    this.options = options;
    /** The range as given, with runs of whitespace collapsed. */
    this.raw = range.trim().split(/\s+/).join(' ');
    /** @type {Comparator[][]} one array of comparators per `||` alternative */
    this.set = this.raw.split('||').map((part) => this.parseSet(part.trim()));

    // A set that matches everything makes the whole range match everything.
    const any = this.set.find((set) => set.length === 1 && set[0].semver === ANY);
    if (any) this.set = [any];
    this.format();
  }

  /**
   * Parse one `||` alternative into its comparators.
   *
   * @param {string} text
   * @returns {Comparator[]}
   * @private
   */
  parseSet(text) {
    const hyphen = text.match(re.HYPHENRANGE);
    if (hyphen) text = replaceHyphen(hyphen, this.options);

    const tokens = text.replace(re.OPERATORTRIM, '$1').split(/\s+/).filter(Boolean);
    const comparators = tokens
      .map((token) => desugar(token, this.options))
      .join(' ')
      .split(/\s+/)
      .filter(Boolean)
      .map((comp) => new Comparator(comp, this.options));

    // Comparators that match anything add nothing to a set that has others.
    const specific = comparators.filter((c) => c.semver !== ANY);
    return specific.length ? specific : [new Comparator('', this.options)];
  }

  /**
   * Recompute `this.range`, the normalised text of the range.
   * @returns {string}
   */
  format() {
    this.range = this.set
      .map((comps) => comps.map((c) => c.value).join(' ').trim())
      .join('||')
      .trim();
    return this.range;
  }

  /** @returns {string} */
  toString() {
    return this.range;
  }

  /**
   * Whether a version satisfies any of the comparator sets.
   *
   * @param {string|SemVer} version
   * @returns {boolean} false for invalid versions
   */
  test(version) {
    if (!version) return false;
    if (!(version instanceof SemVer)) {
      try {
        version = new SemVer(version, this.options);
      } catch {
        return false;
      }
    }
    return this.set.some((set) => testSet(set, version, this.options));
  }
}

/**
 * Parse a range, returning null instead of throwing.
 *
 * @param {string|Range} range
 * @param {import('./options').Options} [options]
 * @returns {Range|null}
 */
function toRange(range, options) {
  try {
    return new Range(range, options);
  } catch {
    return null;
  }
}

/**
 * Whether `version` satisfies `range`. Invalid versions and ranges never satisfy anything.
 *
 * @param {string|SemVer} version
 * @param {string|Range} range
 * @param {import('./options').Options} [options]
 * @returns {boolean}
 */
function satisfies(version, range, options) {
  const r = toRange(range, options);
  return r ? r.test(version) : false;
}

/**
 * The normalised form of a range (`'^1.2'` -> `'>=1.2.0 <2.0.0-0'`), `'*'` for a range matching
 * everything, or null if it is invalid.
 *
 * @param {string|Range} range
 * @param {import('./options').Options} [options]
 * @returns {string|null}
 */
function validRange(range, options) {
  const r = toRange(range, options);
  return r ? r.range || '*' : null;
}

/**
 * The highest version in `versions` that satisfies `range`, as given in the list, or null.
 *
 * @template {string|SemVer} T
 * @param {T[]} versions
 * @param {string|Range} range
 * @param {import('./options').Options} [options]
 * @returns {T|null}
 */
function maxSatisfying(versions, range, options) {
  return bestSatisfying(versions, range, options, 1);
}

/**
 * The lowest version in `versions` that satisfies `range`, as given in the list, or null.
 *
 * @template {string|SemVer} T
 * @param {T[]} versions
 * @param {string|Range} range
 * @param {import('./options').Options} [options]
 * @returns {T|null}
 */
function minSatisfying(versions, range, options) {
  return bestSatisfying(versions, range, options, -1);
}

/**
 * Shared by maxSatisfying and minSatisfying.
 *
 * @param {Array<string|SemVer>} versions
 * @param {string|Range} range
 * @param {import('./options').Options} options
 * @param {1|-1} direction 1 for the highest match, -1 for the lowest
 * @returns {string|SemVer|null}
 * @private
 */
function bestSatisfying(versions, range, options, direction) {
  if (!Array.isArray(versions)) throw new TypeError('expected an array of versions');
  const r = toRange(range, options);
  if (!r) return null;
  let best = null;
  let bestVersion = null;
  for (const candidate of versions) {
    if (!r.test(candidate)) continue;
    const parsed = new SemVer(candidate, r.options);
    if (bestVersion === null || compare(parsed, bestVersion, r.options) === direction) {
      best = candidate;
      bestVersion = parsed;
    }
  }
  return best;
}

module.exports = {
  Range,
  satisfies,
  validRange,
  maxSatisfying,
  minSatisfying,
};
