'use strict';

/**
 * pathrouter: an HTTP-style request router without sockets.
 *
 * @example
 * const { Router } = require('pathrouter');
 * const router = new Router();
 * router.get('/users/:id(\\d+)', 'showUser', { name: 'user' });
 * router.match('GET', '/users/42?tab=posts');
 * // { status: 200, handler: 'showUser', params: { id: '42' }, query: { tab: 'posts' }, ... }
 * @module pathrouter
 */

const { Router, normalizeMethod } = require('./router');
const { compilePattern, comparePatterns, matchPath } = require('./pattern');
const { splitUrl, normalizePath, splitSegments } = require('./normalize');
const { parseQuery, buildQuery } = require('./query');
const { RouterError } = require('./util');

/**
 * Create a router; same as `new Router(options)`.
 * @param {ConstructorParameters<typeof Router>[0]} [options]
 * @returns {Router}
 */
function createRouter(options) {
  return new Router(options);
}

module.exports = {
  Router,
  createRouter,
  RouterError,
  compilePattern,
  comparePatterns,
  matchPath,
  normalizeMethod,
  normalizePath,
  splitUrl,
  splitSegments,
  parseQuery,
  buildQuery,
};
