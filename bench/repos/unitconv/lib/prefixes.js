'use strict';

/**
 * Metric (SI) and binary (IEC 80000-13) unit prefixes, and the prefix sets a unit can
 * accept.
 * @module unitconv/prefixes
 */

const { UnitError } = require('./errors');

/**
 * @typedef {object} Prefix
 * @property {'si'|'binary'} kind
 * @property {string} symbol canonical symbol, e.g. "k" or "Ki"
 * @property {string} name long name, e.g. "kilo" or "kibi"
 * @property {number} factor
 * @property {ReadonlyArray<string>} aliases other accepted spellings of the symbol
 */

function prefix(kind, symbol, name, factor, aliases = []) {
  return Object.freeze({ kind, symbol, name, factor, aliases: Object.freeze(aliases) });
}

/** SI prefixes, largest first. The micro sign is U+00B5; U+03BC and "u" are accepted too. */
const SI_PREFIXES = Object.freeze([
  prefix('si', 'E', 'exa', 1e18),
  prefix('si', 'P', 'peta', 1e15),
  prefix('si', 'T', 'tera', 1e12),
  prefix('si', 'G', 'giga', 1e9),
  prefix('si', 'M', 'mega', 1e6),
  prefix('si', 'k', 'kilo', 1e3),
  prefix('si', 'h', 'hecto', 1e2),
  prefix('si', 'da', 'deca', 1e1),
  prefix('si', 'd', 'deci', 1e-1),
  prefix('si', 'c', 'centi', 1e-2),
  prefix('si', 'm', 'milli', 1e-3),
  prefix('si', '\u00b5', 'micro', 1e-6, ['\u03bc', 'u']),
  prefix('si', 'n', 'nano', 1e-9),
  prefix('si', 'p', 'pico', 1e-12),
]);

/** Binary prefixes (powers of 1024), largest first. */
const BINARY_PREFIXES = Object.freeze([
  prefix('binary', 'Ei', 'exbi', 2 ** 60),
  prefix('binary', 'Pi', 'pebi', 2 ** 50),
  prefix('binary', 'Ti', 'tebi', 2 ** 40),
  prefix('binary', 'Gi', 'gibi', 2 ** 30),
  prefix('binary', 'Mi', 'mebi', 2 ** 20),
  prefix('binary', 'Ki', 'kibi', 2 ** 10),
]);

const SI_MULTIPLES = Object.freeze(SI_PREFIXES.filter((p) => p.factor > 1));

/**
 * The prefix sets a unit definition may name in its `prefixes` field.
 * "data" is meant for bits and bytes: SI multiples (kB, MB) and binary prefixes (KiB, MiB),
 * but no submultiples (a millibyte makes no sense).
 */
const PREFIX_SETS = Object.freeze({
  none: Object.freeze([]),
  si: SI_PREFIXES,
  'si-multiples': SI_MULTIPLES,
  binary: BINARY_PREFIXES,
  data: Object.freeze([...SI_MULTIPLES, ...BINARY_PREFIXES]),
});

/**
 * Look up a prefix set by name.
 * @param {string} name
 * @returns {ReadonlyArray<Prefix>}
 */
function prefixSet(name) {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(PREFIX_SETS, name)) {
    throw new UnitError(
      `Unknown prefix set ${JSON.stringify(name)}; expected one of ${Object.keys(PREFIX_SETS).join(', ')}`,
    );
  }
  return PREFIX_SETS[name];
}

/**
 * Every way `text` can be split into a known prefix and a non-empty remainder, longest
 * prefix first (so "dam" tries "da" + "m" before "d" + "am", and "MiB" tries "Mi" before "M").
 * @param {string} text
 * @param {'symbol'|'name'} by match prefix symbols (and their aliases) or long prefix names
 * @returns {{prefix: Prefix, rest: string}[]}
 */
function splitPrefix(text, by) {
  const splits = [];
  for (const p of [...SI_PREFIXES, ...BINARY_PREFIXES]) {
    const spellings = by === 'name' ? [p.name] : [p.symbol, ...p.aliases];
    for (const spelling of spellings) {
      if (text.length > spelling.length && text.startsWith(spelling)) {
        splits.push({ prefix: p, rest: text.slice(spelling.length), length: spelling.length });
      }
    }
  }
  splits.sort((a, b) => b.length - a.length);
  return splits.map(({ prefix: p, rest }) => ({ prefix: p, rest }));
}

module.exports = { SI_PREFIXES, BINARY_PREFIXES, PREFIX_SETS, prefixSet, splitPrefix };
