'use strict';

/**
 * Decimal numbers as people write them in spreadsheets: an optional sign, digits with an optional fraction
 * (or a fraction alone, ".5"), and an optional exponent. Integers with leading zeros ("007", "02134") are
 * not matched, because they are almost always identifiers (zip codes, account numbers) rather than numbers.
 */
const DECIMAL = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The built-in conversion used by `cast: true`: decimal numbers become numbers, "true" and "false" become
 * booleans, and everything else, including the empty string, stays the string it was.
 *
 * @param {string} value
 * @returns {string | number | boolean}
 */
function castValue(value) {
  if (DECIMAL.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/**
 * Applies the parser's `cast` option to one record's fields.
 *
 * With `cast: true`, quoted fields are left alone (quoting a value is how a file says "this is text") and
 * unquoted ones go through castValue. With a function, every field is passed to it as
 * `cast(value, context)`, where context is `{ column, index, quoted, line, record }`: the column's name
 * (or its index when there is no header), the field's 0-based index, whether it was quoted, the record's
 * line and its 1-based number.
 *
 * @param {string[]} fields
 * @param {{quoted: boolean[], line: number}} row   the tokenizer's row the fields came from
 * @param {ReadonlyArray<string | null> | null} header
 * @param {true | ((value: string, context: object) => unknown)} cast
 * @param {number} recordNumber
 * @returns {unknown[]}
 */
function castFields(fields, row, header, cast, recordNumber) {
  return fields.map((value, index) => {
    const quoted = row.quoted[index] === true;
    if (cast === true) return quoted ? value : castValue(value);
    const column = header && index < header.length ? header[index] : index;
    return cast(value, { column, index, quoted, line: row.line, record: recordNumber });
  });
}

module.exports = { castValue, castFields };
