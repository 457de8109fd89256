'use strict';

const { CsvError, optionError } = require('./errors');
const { resolveOptions } = require('./dialect');
const { tokenizeRows } = require('./tokenizer');
const { castFields } = require('./cast');
const { findDuplicate, zipObject } = require('./utils');

/** parse()'s own options, besides the dialect ones. */
const PARSER_KEYS = Object.freeze([
  'columns',
  'skipEmptyLines',
  'trim',
  'cast',
  'relaxColumnCount',
  'skipRecords',
  'maxRecords',
  'bom',
  'info',
]);

const DEFAULTS = Object.freeze({
  columns: false,
  skipEmptyLines: true,
  trim: false,
  cast: false,
  relaxColumnCount: false,
  skipRecords: 0,
  maxRecords: Infinity,
  bom: true,
  info: false,
});

/**
 * Validates parse()'s own options and fills in defaults.
 * @param {Record<string, unknown>} own
 */
function normalizeParserOptions(own) {
  const opts = { ...DEFAULTS, ...own };
  for (const name of ['skipEmptyLines', 'trim', 'relaxColumnCount', 'bom', 'info']) {
    if (typeof opts[name] !== 'boolean') throw optionError(name, 'a boolean', opts[name]);
  }
  const { columns, cast, skipRecords, maxRecords } = opts;
  if (typeof columns !== 'boolean' && typeof columns !== 'function' && !Array.isArray(columns)) {
    throw optionError('columns', 'a boolean, an array of names or a function', columns);
  }
  if (typeof cast !== 'boolean' && typeof cast !== 'function') {
    throw optionError('cast', 'a boolean or a function', cast);
  }
  if (!Number.isInteger(skipRecords) || skipRecords < 0) {
    throw optionError('skipRecords', 'a non-negative integer', skipRecords);
  }
  if (maxRecords !== Infinity && (!Number.isInteger(maxRecords) || maxRecords < 0)) {
    throw optionError('maxRecords', 'a non-negative integer or Infinity', maxRecords);
  }
  return opts;
}

/**
 * Checks a list of column names: strings, or null/undefined/false for a column to leave out of the objects.
 * @param {unknown} names
 * @param {number | undefined} line  where the names came from, when they came from the input
 * @returns {(string | null)[]}
 */
function normalizeColumnNames(names, line) {
  if (!Array.isArray(names)) throw optionError('columns', 'an array of names', names);
  const header = names.map((name, index) => {
    if (name === null || name === undefined || name === false) return null;
    if (typeof name !== 'string') {
      throw new CsvError('CSV_INVALID_COLUMN', `Column ${index + 1} must be named by a string, got ${typeof name}`);
    }
    return name;
  });
  const duplicate = findDuplicate(header);
  if (duplicate !== undefined) {
    throw new CsvError('CSV_DUPLICATE_COLUMN', `Column name ${JSON.stringify(duplicate)} is used more than once`, { line });
  }
  return header;
}

/** True for an empty line: one unquoted, empty field. A line holding only `""` is a record. */
function isEmptyRow(row) {
  return row.fields.length === 1 && row.fields[0] === '' && !row.quoted[0];
}

/** Trims the whitespace around unquoted fields; quoted fields keep theirs. */
function trimFields(row) {
  return row.fields.map((field, index) => (row.quoted[index] ? field : field.trim()));
}

/**
 * Parses CSV text into records.
 *
 * Without `columns`, every record is an array of strings and every record must have as many fields as the
 * first. With `columns: true` the first record is the header and the others become objects keyed by it;
 * with an array, the array is the header and the first record is data; with a function, it receives the
 * first record's fields and returns the header. A header entry of null leaves that column out.
 *
 * @param {string | Buffer} text
 * @param {object} [options]
 * @param {boolean | Array<string | null> | ((fields: string[]) => Array<string | null>)} [options.columns=false]
 * @param {boolean} [options.skipEmptyLines=true]  ignore lines with nothing on them
 * @param {boolean} [options.trim=false]           trim whitespace around unquoted fields
 * @param {boolean | Function} [options.cast=false] convert values (see castFields)
 * @param {boolean} [options.relaxColumnCount=false] accept records with more or fewer fields than expected
 * @param {number} [options.skipRecords=0]         records to drop before the header (or the first record)
 * @param {number} [options.maxRecords=Infinity]   stop after this many records (the header not counted)
 * @param {boolean} [options.bom=true]             drop a leading byte order mark
 * @param {boolean} [options.info=false]           return `{ record, line }` for each record
 * @returns {Array<string[] | Record<string, unknown> | {record: unknown, line: number}>}
 * @throws {CsvError}
 */
function parse(text, options) {
  if (Buffer.isBuffer(text)) text = text.toString('utf8');
  if (typeof text !== 'string') {
    throw new CsvError('CSV_INVALID_INPUT', `parse() expects a string or a Buffer, got ${typeof text}`);
  }
  const { dialect, own } = resolveOptions(options, PARSER_KEYS, 'parse');
  const opts = normalizeParserOptions(own);
  if (opts.bom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const readsHeader = opts.columns === true || typeof opts.columns === 'function';
  let header = Array.isArray(opts.columns) ? normalizeColumnNames(opts.columns) : null;
  let expected = header === null ? null : header.length;
  let skipped = 0;
  const records = [];

  for (const row of tokenizeRows(text, dialect)) {
    if (opts.skipEmptyLines && isEmptyRow(row)) continue;
    if (skipped < opts.skipRecords) {
      skipped += 1;
      continue;
    }
    const fields = opts.trim ? trimFields(row) : row.fields;

    if (readsHeader && header === null) {
      const names = opts.columns === true ? fields : opts.columns(fields.slice());
      header = normalizeColumnNames(names, row.line);
      expected = header.length;
      continue;
    }
    if (records.length >= opts.maxRecords) break;

    const recordNumber = records.length + 1;
    if (expected === null) expected = fields.length;
    if (fields.length !== expected && !opts.relaxColumnCount) {
      throw new CsvError(
        'CSV_COLUMN_COUNT',
        `Record ${recordNumber} has ${fields.length} fields, expected ${expected}`,
        { line: row.line, record: recordNumber },
      );
    }

    const values = opts.cast ? castFields(fields, row, header, opts.cast, recordNumber) : fields;
    const record = header === null ? values : zipObject(header, values);
    records.push(opts.info ? { record, line: row.line } : record);
  }
  return records;
}

module.exports = { parse, PARSER_KEYS };
