'use strict';

const { CsvError } = require('./errors');
const { resolveOptions } = require('./dialect');

// Tokenizer states.
const FIELD_START = 0; // nothing read yet for the current field
const UNQUOTED = 1; // inside a field that did not start with a quote
const QUOTED = 2; // inside a quoted field
const AFTER_QUOTE = 3; // a quoted field was closed; only a delimiter, a record end or the end may follow

/**
 * Length of the physical line break starting at `text[i]`: 2 for "\r\n", 1 for "\n" or a lone "\r", else 0.
 * Line numbers in errors count these, whatever the dialect's record terminator is.
 * @param {string} text
 * @param {number} i
 * @returns {number}
 */
function newlineLength(text, i) {
  const c = text[i];
  if (c === '\n') return 1;
  if (c === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return 0;
}

/**
 * Length of the record terminator starting at `text[i]` under `dialect`, or 0. With lineTerminator 'auto'
 * any physical line break ends a record; otherwise only the configured one does, and other line breaks
 * outside quotes are ordinary data.
 * @param {string} text
 * @param {number} i
 * @param {import('./dialect').Dialect} dialect
 * @returns {number}
 */
function terminatorLength(text, i, dialect) {
  if (dialect.lineTerminator === 'auto') return newlineLength(text, i);
  return text.startsWith(dialect.lineTerminator, i) ? dialect.lineTerminator.length : 0;
}

/**
 * Splits CSV text into raw rows, one per record.
 *
 * Each row is `{ fields, quoted, line }`: the field strings, whether each field was quoted, and the 1-based
 * physical line on which the record starts. Quotes are only special at the start of a field; a quote in the
 * middle of an unquoted field is kept as data. Inside a quoted field, delimiters and line breaks are data and
 * the escape character followed by a quote (or by itself) stands for that character. Text that ends with a
 * record terminator does not produce an extra empty row; an empty line produces a row with one empty field.
 *
 * @param {string} text
 * @param {import('./dialect').Dialect} dialect  a validated dialect (see createDialect)
 * @returns {Generator<{fields: string[], quoted: boolean[], line: number}>}
 * @throws {CsvError} CSV_INVALID_CLOSING_QUOTE, CSV_UNTERMINATED_QUOTE
 */
function* tokenizeRows(text, dialect) {
  const { delimiter, quote, escape, comment } = dialect;
  const length = text.length;

  let i = 0;
  let line = 1; // physical line of text[i]
  let lineStart = 0; // index in text where that line starts, for column numbers
  let state = FIELD_START;
  let field = '';
  let fields = [];
  let quoted = [];
  let rowLine = 1;
  let quoteLine = 0;
  let quoteColumn = 0;

  const endField = () => {
    fields.push(field);
    quoted.push(state === AFTER_QUOTE);
    field = '';
  };
  const takeRow = () => {
    const row = { fields, quoted, line: rowLine };
    fields = [];
    quoted = [];
    return row;
  };

  while (i < length) {
    const c = text[i];

    if (state === QUOTED) {
      const next = text[i + 1];
      if (c === escape && escape !== quote && (next === quote || next === escape)) {
        field += next;
        i += 2;
      } else if (c === quote) {
        if (escape === quote && next === quote) {
          field += quote;
          i += 2;
        } else {
          state = AFTER_QUOTE;
          i += 1;
        }
      } else {
        const nl = newlineLength(text, i);
        if (nl > 0) {
          field += text.slice(i, i + nl);
          i += nl;
          line += 1;
          lineStart = i;
        } else {
          field += c;
          i += 1;
        }
      }
      continue;
    }

    if (c === comment && state === FIELD_START && fields.length === 0) {
      // A comment runs to the end of the record terminator; it yields no row.
      while (i < length) {
        const term = terminatorLength(text, i, dialect);
        const nl = term > 0 ? term : newlineLength(text, i);
        i += nl > 0 ? nl : 1;
        if (nl > 0) {
          line += 1;
          lineStart = i;
        }
        if (term > 0) break;
      }
      rowLine = line;
      continue;
    }

    if (c === delimiter) {
      endField();
      state = FIELD_START;
      i += 1;
      continue;
    }

    const term = terminatorLength(text, i, dialect);
    if (term > 0) {
      endField();
      yield takeRow();
      state = FIELD_START;
      i += term;
      line += 1;
      lineStart = i;
      rowLine = line;
      continue;
    }

    if (state === AFTER_QUOTE) {
      throw new CsvError(
        'CSV_INVALID_CLOSING_QUOTE',
        `Unexpected character ${JSON.stringify(c)} after a closing quote`,
        { line, column: i - lineStart + 1 },
      );
    }

    if (c === quote && state === FIELD_START) {
      state = QUOTED;
      quoteLine = line;
      quoteColumn = i - lineStart + 1;
      i += 1;
      continue;
    }

    // Ordinary data, including a line break that is not this dialect's record terminator.
    state = UNQUOTED;
    const nl = newlineLength(text, i);
    if (nl > 0) {
      field += text.slice(i, i + nl);
      i += nl;
      line += 1;
      lineStart = i;
    } else {
      field += c;
      i += 1;
    }
  }

  if (state === QUOTED) {
    throw new CsvError('CSV_UNTERMINATED_QUOTE', 'Quoted field is never closed', {
      line: quoteLine,
      column: quoteColumn,
    });
  }
  if (state !== FIELD_START || fields.length > 0) {
    endField();
    yield takeRow();
  }
}

/**
 * Splits CSV text into arrays of field strings, with no header handling, casting or column checks.
 *
 * @example
 *   tokenize('a,"b,c"\n1,2\n')  // [['a', 'b,c'], ['1', '2']]
 *
 * @param {string} text
 * @param {object} [options]  dialect options, or `{ dialect }`
 * @returns {string[][]}
 */
function tokenize(text, options) {
  if (typeof text !== 'string') {
    throw new CsvError('CSV_INVALID_INPUT', `tokenize() expects a string, got ${typeof text}`);
  }
  const { dialect } = resolveOptions(options, [], 'tokenize');
  const rows = [];
  for (const row of tokenizeRows(text, dialect)) rows.push(row.fields);
  return rows;
}

module.exports = { tokenize, tokenizeRows, newlineLength, terminatorLength };
