'use strict';

const { describeValue } = require('./utils');

/**
 * The one error type csvkit throws, for invalid options, malformed input and values that cannot be written.
 *
 * `code` is stable and meant for programs (for example `CSV_UNTERMINATED_QUOTE`); `message` is meant for
 * people. Errors about the input carry the 1-based `line` (and, where it is known, `column`) at which the
 * problem was found, counting physical lines of the text, and `record`, the 1-based number of the record.
 */
class CsvError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{line?: number, column?: number, record?: number}} [details]
   */
  constructor(code, message, details = {}) {
    let where = '';
    if (details.line !== undefined) {
      where = details.column !== undefined
        ? ` (line ${details.line}, column ${details.column})`
        : ` (line ${details.line})`;
    }
    super(message + where);
    this.name = 'CsvError';
    this.code = code;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.record !== undefined) this.record = details.record;
  }
}

/**
 * An error for an option that has the wrong type or value.
 * @param {string} name      the option's name
 * @param {string} expected  what it must be, as a phrase ("a single character")
 * @param {unknown} actual   what was given
 * @returns {CsvError}
 */
function optionError(name, expected, actual) {
  return new CsvError('CSV_INVALID_OPTION', `Option "${name}" must be ${expected}, got ${describeValue(actual)}`);
}

module.exports = { CsvError, optionError };
