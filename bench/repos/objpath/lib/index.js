'use strict';

/**
 * objpath: deep object paths.
 *
 * @example
 * const op = require('objpath');
 * op.set(config, 'servers[0].host', 'localhost');
 * op.get(config, 'servers[0].port', 80);
 * op.query(config, 'servers.*.host');   // [{ path: 'servers[0].host', segments: [...], value: 'localhost' }]
 * op.flatten(config);                   // { 'servers[0].host': 'localhost' }
 */

const { PathError } = require('./errors');
const { parsePath, parsePattern, stringifyPath } = require('./parse');
const { get, has, set, del } = require('./access');
const { query, queryValues, queryFirst } = require('./query');
const { flatten, unflatten } = require('./flatten');

module.exports = {
  PathError,
  parsePath,
  parsePattern,
  stringifyPath,
  get,
  has,
  set,
  del,
  delete: del,
  query,
  queryValues,
  queryFirst,
  flatten,
  unflatten,
};
