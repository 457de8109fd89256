'use strict';

/**
 * Render options: their defaults and their validation.
 * @module mdlite/options
 */

const { describeType } = require('./utils');

/**
 * @typedef {object} RenderOptions
 * @property {boolean} [headingIds=false]  give headings an id made from their text ("## Get started" -> id="get-started")
 * @property {boolean} [safeLinks=true]    replace javascript:, vbscript:, file: and data: link targets with "#"
 * @property {string}  [softBreak="\n"]    what a soft line break inside a paragraph becomes (e.g. " " or "<br />\n")
 */

const DEFAULTS = Object.freeze({
  headingIds: false,
  safeLinks: true,
  softBreak: '\n',
});

const TYPES = Object.freeze({
  headingIds: 'boolean',
  safeLinks: 'boolean',
  softBreak: 'string',
});

/**
 * Validates options and fills in the defaults. Unknown options are an error, so a typo does not go unnoticed.
 * @param {RenderOptions|undefined|null} options
 * @returns {Required<RenderOptions>}  a new object
 */
function normalizeOptions(options) {
  if (options === undefined || options === null) return { ...DEFAULTS };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`options must be an object, got ${describeType(options)}`);
  }
  const normalized = { ...DEFAULTS };
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(TYPES, key)) {
      throw new TypeError(`Unknown option "${key}"`);
    }
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== TYPES[key]) {
      throw new TypeError(`Option "${key}" must be a ${TYPES[key]}, got ${describeType(value)}`);
    }
    normalized[key] = value;
  }
  return normalized;
}

module.exports = { DEFAULTS, normalizeOptions };
