'use strict';

/**
 * csvkit: a dependency-free CSV toolkit. parse() reads CSV text into arrays or objects, stringify() writes
 * them back, and both take the same dialect options, so that what one writes the other reads unchanged.
 */

const { CsvError } = require('./errors');
const { createDialect, PRESETS } = require('./dialect');
const { tokenize } = require('./tokenizer');
const { parse } = require('./parser');
const { stringify } = require('./stringifier');
const { castValue } = require('./cast');

/**
 * Reads CSV text and writes it back with another dialect, e.g. to turn a semicolon-separated export into
 * a comma-separated file. Records are kept as arrays, so the header line is converted like any other.
 *
 * @example
 *   convert('a;b\n1;2\n', { delimiter: ';' }, 'excel')  // 'a,b\r\n1,2\r\n'
 *
 * @param {string} text
 * @param {string | object} [from]  the input's dialect: a preset name, a dialect or dialect options
 * @param {string | object} [to]    the output's dialect, likewise
 * @returns {string}
 */
function convert(text, from, to) {
  const records = parse(text, { dialect: from, skipEmptyLines: true, relaxColumnCount: true });
  return stringify(records, { dialect: to });
}

module.exports = {
  parse,
  stringify,
  tokenize,
  convert,
  createDialect,
  castValue,
  CsvError,
  presets: PRESETS,
};
