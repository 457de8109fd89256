'use strict';

const { CsvError, optionError } = require('./errors');
const { resolveOptions, outputTerminator } = require('./dialect');
const { isPlainObject, findDuplicate, describeValue } = require('./utils');

/** stringify()'s own options, besides the dialect ones. */
const STRINGIFY_KEYS = Object.freeze(['header', 'columns', 'quoteAll', 'eof']);

/**
 * Normalises the `columns` option into `{ key, header }` pairs. Entries may be strings (the key is also
 * the header) or `{ key, header }` objects.
 * @param {unknown} columns
 * @returns {{key: string, header: string}[]}
 */
function normalizeColumns(columns) {
  if (!Array.isArray(columns)) throw optionError('columns', 'an array', columns);
  const result = columns.map((column, index) => {
    if (typeof column === 'string') return { key: column, header: column };
    if (isPlainObject(column) && typeof column.key === 'string') {
      const header = column.header === undefined ? column.key : column.header;
      if (typeof header !== 'string') throw optionError(`columns[${index}].header`, 'a string', header);
      return { key: column.key, header };
    }
    throw optionError(`columns[${index}]`, 'a string or an object with a string "key"', column);
  });
  const duplicate = findDuplicate(result.map((column) => column.key));
  if (duplicate !== undefined) {
    throw new CsvError('CSV_DUPLICATE_COLUMN', `Column ${JSON.stringify(duplicate)} is listed more than once`);
  }
  return result;
}

/**
 * The text written for one value: '' for null and undefined, ISO 8601 for dates, JSON for plain objects
 * and arrays, String() for numbers, bigints and booleans.
 * @param {unknown} value
 * @param {number} recordNumber  1-based, for errors
 * @returns {string}
 */
function valueToText(value, recordNumber) {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new CsvError('CSV_INVALID_VALUE', `Record ${recordNumber} contains an invalid Date`, { record: recordNumber });
        }
        return value.toISOString();
      }
      return JSON.stringify(value);
    default:
      throw new CsvError('CSV_INVALID_VALUE', `Record ${recordNumber} contains ${describeValue(value)}, which cannot be written`, {
        record: recordNumber,
      });
  }
}

/**
 * Whether a field must be quoted to read back as the same value with the same dialect: it contains the
 * delimiter, the quote or a line break, it is the first field of a record and starts with the comment
 * character, or it has whitespace at either end (which a reader with trimming enabled would lose).
 * @param {string} text
 * @param {import('./dialect').Dialect} dialect
 * @param {boolean} isFirst  whether this is the record's first field
 * @returns {boolean}
 */
function needsQuoting(text, dialect, isFirst) {
  if (text === '') return false;
  if (text.includes(dialect.delimiter) || text.includes('\n') || text.includes('\r')) return true;
  if (dialect.quote !== null && text.includes(dialect.quote)) return true;
  if (isFirst && dialect.comment !== null && text.startsWith(dialect.comment)) return true;
  return /^\s|\s$/.test(text);
}

/**
 * Wraps a field in quotes, escaping the quote character (and the escape character, when it is a separate
 * one) with the dialect's escape.
 * @param {string} text
 * @param {import('./dialect').Dialect} dialect
 * @returns {string}
 */
function quoteField(text, dialect) {
  const { quote, escape } = dialect;
  let out = quote;
  for (const ch of text) {
    if (ch === quote || (ch === escape && escape !== quote)) out += escape;
    out += ch;
  }
  return out + quote;
}

/**
 * Formats one record's values as a line, without the terminator.
 * @param {unknown[]} values
 * @param {import('./dialect').Dialect} dialect
 * @param {boolean} quoteAll
 * @param {number} recordNumber
 * @returns {string}
 */
function formatRecord(values, dialect, quoteAll, recordNumber) {
  const parts = values.map((value, index) => {
    const text = valueToText(value, recordNumber);
    // A record of one empty field would otherwise be an empty line, which readers skip.
    const mustQuote = needsQuoting(text, dialect, index === 0) || (values.length === 1 && text === '');
    if (!mustQuote && !quoteAll) return text;
    if (dialect.quote === null) {
      throw new CsvError(
        'CSV_QUOTE_REQUIRED',
        `Record ${recordNumber} has the value ${JSON.stringify(text)}, which needs quoting, but quote is null`,
        { record: recordNumber },
      );
    }
    return quoteField(text, dialect);
  });
  return parts.join(dialect.delimiter);
}

/**
 * Writes records as CSV text.
 *
 * Records are either all arrays or all plain objects. For objects, `columns` chooses the keys and their
 * order (by default the keys of the first record) and a header line is written unless `header: false`.
 * For arrays, a header is written only when `columns` gives its names. Fields are quoted only when they
 * need it, unless `quoteAll` is set.
 *
 * @param {Array<unknown[] | Record<string, unknown>>} records
 * @param {object} [options]
 * @param {boolean} [options.header]   write a header line (default: true for objects or when columns is given)
 * @param {Array<string | {key: string, header?: string}>} [options.columns]
 * @param {boolean} [options.quoteAll=false]
 * @param {boolean} [options.eof=true]  end the output with a line terminator
 * @returns {string}
 * @throws {CsvError}
 */
function stringify(records, options) {
  if (!Array.isArray(records)) {
    throw new CsvError('CSV_INVALID_INPUT', `stringify() expects an array of records, got ${describeValue(records)}`);
  }
  const { dialect, own } = resolveOptions(options, STRINGIFY_KEYS, 'stringify');
  const quoteAll = own.quoteAll === undefined ? false : own.quoteAll;
  const eof = own.eof === undefined ? true : own.eof;
  if (typeof quoteAll !== 'boolean') throw optionError('quoteAll', 'a boolean', quoteAll);
  if (typeof eof !== 'boolean') throw optionError('eof', 'a boolean', eof);

  const objects = records.length > 0 && isPlainObject(records[0]);
  let columns = own.columns === undefined ? null : normalizeColumns(own.columns);
  if (columns === null && objects) columns = normalizeColumns(Object.keys(records[0]));
  const header = own.header === undefined ? columns !== null : own.header;
  if (typeof header !== 'boolean') throw optionError('header', 'a boolean', header);
  if (header && columns === null) {
    throw new CsvError('CSV_INVALID_OPTION', 'Option "header" needs "columns" when records are arrays');
  }

  const lines = [];
  if (header) lines.push(formatRecord(columns.map((column) => column.header), dialect, quoteAll, 0));
  records.forEach((record, index) => {
    const recordNumber = index + 1;
    if (objects ? !isPlainObject(record) : !Array.isArray(record)) {
      throw new CsvError(
        'CSV_INVALID_RECORD',
        `Record ${recordNumber} is ${describeValue(record)}; expected ${objects ? 'an object' : 'an array'} like the first`,
        { record: recordNumber },
      );
    }
    const values = objects ? columns.map((column) => record[column.key]) : record;
    lines.push(formatRecord(values, dialect, quoteAll, recordNumber));
  });

  if (lines.length === 0) return '';
  const terminator = outputTerminator(dialect);
  return lines.join(terminator) + (eof ? terminator : '');
}

module.exports = { stringify, STRINGIFY_KEYS };
