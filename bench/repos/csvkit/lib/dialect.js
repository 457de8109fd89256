'use strict';

const { CsvError, optionError } = require('./errors');
const { isPlainObject, isSingleChar, hasOwn, describeValue } = require('./utils');

/**
 * A dialect describes how a CSV file is spelled: which character separates fields, which one quotes them,
 * how a quote is escaped inside a quoted field, which character starts a comment line and what ends a
 * record. The parser and the stringifier take the same dialect, so a file written with a dialect reads
 * back with it unchanged.
 *
 * @typedef {object} Dialect
 * @property {string} delimiter            separates fields; one character, never CR or LF
 * @property {string | null} quote         wraps fields that contain special characters; null disables quoting
 * @property {string | null} escape        inside a quoted field, makes the next quote (or escape) literal;
 *                                         equal to `quote` for the usual doubled quotes (""); null when
 *                                         quoting is disabled
 * @property {string | null} comment       a line starting with it is skipped by the parser; null for none
 * @property {'auto' | '\n' | '\r\n' | '\r'} lineTerminator
 *                                         ends a record; 'auto' reads any of the three and writes "\n"
 */

/** The options a dialect is made of, in the order they are validated. */
const DIALECT_KEYS = Object.freeze(['delimiter', 'quote', 'escape', 'comment', 'lineTerminator']);

const LINE_TERMINATORS = Object.freeze(['auto', '\n', '\r\n', '\r']);

/** Named dialects that can be passed as `dialect: 'name'`. */
const PRESETS = Object.freeze({
  csv: Object.freeze({}),
  excel: Object.freeze({ lineTerminator: '\r\n' }),
  'excel-tab': Object.freeze({ delimiter: '\t', lineTerminator: '\r\n' }),
  tsv: Object.freeze({ delimiter: '\t' }),
  unix: Object.freeze({ lineTerminator: '\n' }),
});

/** Dialects made by createDialect(), so that they can be recognised and reused without revalidation. */
const created = new WeakSet();

/**
 * Throws when `options` has a key that is not in `allowed`.
 * @param {object} options
 * @param {ReadonlyArray<string>} allowed
 * @param {string} caller  the public function's name, for the message
 */
function checkKnownKeys(options, allowed, caller) {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new CsvError('CSV_UNKNOWN_OPTION', `Unknown option "${key}" for ${caller}()`);
    }
  }
}

/**
 * Reads an optional single-character option; `null`, `undefined` and '' all mean "none".
 * @returns {string | null}
 */
function optionalChar(options, name, fallback) {
  const value = hasOwn(options, name) && options[name] !== undefined ? options[name] : fallback;
  if (value === null || value === '') return null;
  if (!isSingleChar(value)) throw optionError(name, 'a single character or null', value);
  return value;
}

/**
 * Validates dialect options and returns a frozen dialect with every field filled in.
 *
 * @param {Partial<Dialect> | Dialect} [options]
 * @returns {Readonly<Dialect>}
 * @throws {CsvError} CSV_INVALID_OPTION or CSV_UNKNOWN_OPTION
 */
function createDialect(options = {}) {
  if (created.has(options)) return options;
  if (!isPlainObject(options)) throw optionError('dialect', 'an object', options);
  checkKnownKeys(options, DIALECT_KEYS, 'createDialect');

  const delimiter = options.delimiter === undefined ? ',' : options.delimiter;
  if (!isSingleChar(delimiter) || delimiter === '\r' || delimiter === '\n') {
    throw optionError('delimiter', 'a single character other than CR or LF', delimiter);
  }

  const quote = optionalChar(options, 'quote', '"');
  if (quote !== null && (quote === delimiter || quote === '\r' || quote === '\n')) {
    throw optionError('quote', 'different from the delimiter and from CR and LF', quote);
  }

  let escape = null;
  if (quote !== null) {
    escape = optionalChar(options, 'escape', quote);
    if (escape === null) escape = quote;
    if (escape === delimiter || escape === '\r' || escape === '\n') {
      throw optionError('escape', 'different from the delimiter and from CR and LF', escape);
    }
  }

  const comment = optionalChar(options, 'comment', null);
  if (comment !== null && [delimiter, quote, escape, '\r', '\n'].includes(comment)) {
    throw optionError('comment', 'different from the delimiter, quote, escape, CR and LF', comment);
  }

  const lineTerminator = options.lineTerminator === undefined ? 'auto' : options.lineTerminator;
  if (!LINE_TERMINATORS.includes(lineTerminator)) {
    throw optionError('lineTerminator', `one of ${LINE_TERMINATORS.map((t) => JSON.stringify(t)).join(', ')}`, lineTerminator);
  }

  const dialect = Object.freeze({ delimiter, quote, escape, comment, lineTerminator });
  created.add(dialect);
  return dialect;
}

/**
 * Turns the `dialect` option of parse() or stringify() into dialect options: a preset's name, a dialect
 * made by createDialect(), or a plain object of dialect options.
 * @returns {object}
 */
function baseDialectOptions(dialect) {
  if (dialect === undefined || dialect === null) return {};
  if (typeof dialect === 'string') {
    if (!hasOwn(PRESETS, dialect)) {
      throw optionError('dialect', `one of ${Object.keys(PRESETS).join(', ')}`, dialect);
    }
    return PRESETS[dialect];
  }
  if (created.has(dialect) || isPlainObject(dialect)) return dialect;
  throw optionError('dialect', 'a preset name or an object', dialect);
}

/**
 * Splits the options of a public function into its dialect and its own options. Dialect options may be
 * given directly (`{ delimiter: ';' }`), through `dialect` (a preset name, a dialect or an object), or both;
 * options given directly win.
 *
 * @param {object | undefined} options   what the caller passed
 * @param {ReadonlyArray<string>} ownKeys the function's own option names
 * @param {string} caller                the function's name, for messages
 * @returns {{dialect: Readonly<Dialect>, own: Record<string, unknown>}}
 */
function resolveOptions(options, ownKeys, caller) {
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) {
    throw new CsvError('CSV_INVALID_OPTION', `${caller}() options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, [...DIALECT_KEYS, ...ownKeys, 'dialect'], caller);

  const base = baseDialectOptions(options.dialect);
  const merged = {};
  for (const key of DIALECT_KEYS) {
    if (hasOwn(options, key) && options[key] !== undefined) merged[key] = options[key];
    else if (hasOwn(base, key) && base[key] !== undefined) merged[key] = base[key];
  }
  const dialect = createDialect(merged);

  const own = {};
  for (const key of ownKeys) {
    if (hasOwn(options, key) && options[key] !== undefined) own[key] = options[key];
  }
  return { dialect, own };
}

/**
 * The characters that end a record in `dialect` when writing.
 * @param {Readonly<Dialect>} dialect
 * @returns {string}
 */
function outputTerminator(dialect) {
  return dialect.lineTerminator === 'auto' ? '\n' : dialect.lineTerminator;
}

module.exports = { DIALECT_KEYS, PRESETS, createDialect, resolveOptions, checkKnownKeys, outputTerminator };
