'use strict';

/**
 * The router: a priority-ordered route table with method matching,
 * 405 detection, trailing-slash redirects and reverse routing.
 * @module pathrouter/router
 */

const { RouterError, assertString, assertOptionalBoolean, typeName } = require('./util');
const { splitUrl, normalizePath, splitSegments, toggleTrailingSlash } = require('./normalize');
const { compilePattern, comparePatterns } = require('./pattern');
const { parseQuery, buildQuery } = require('./query');

const METHOD = /^[A-Z][A-Z0-9-]*$/;
const ANY = '*';
const SHORTCUTS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/**
 * Upper-case and validate one HTTP method name.
 * @param {unknown} method
 * @param {boolean} allowAny accept `*` (any method)
 * @returns {string}
 */
function normalizeMethod(method, allowAny) {
  assertString(method, 'method');
  const upper = method.trim().toUpperCase();
  if (upper === ANY && allowAny) return ANY;
  if (!METHOD.test(upper)) throw new RouterError(`Invalid HTTP method "${method}"`, 'ERR_INVALID_METHOD');
  return upper;
}

/**
 * @typedef {object} Route
 * @property {Set<string>} methods upper-case methods, or `*`
 * @property {string} pattern the pattern as written
 * @property {import('./pattern').CompiledPattern} compiled
 * @property {unknown} handler
 * @property {string | null} name
 */

/**
 * @typedef {object} MatchResult
 * @property {200 | 301 | 308 | 400 | 404 | 405} status
 * @property {string} path the normalised path
 * @property {unknown} [handler] 200: the route's handler
 * @property {Record<string, string>} [params] 200: decoded parameters
 * @property {Record<string, string | string[]>} [query] 200: the parsed query string
 * @property {{ pattern: string, methods: string[], name: string | null }} [route] 200: the matched route
 * @property {string[]} [allowed] 405: the methods the path does accept, sorted
 * @property {string} [location] 301 / 308: where to redirect
 * @property {string} [error] 400: what was wrong with the path
 */

class Router {
  /**
   * @param {object} [options]
   * @param {boolean} [options.caseSensitive=true] compare static segments case-sensitively
   * @param {boolean} [options.strict=false] treat `/a` and `/a/` as different paths
   * @param {boolean} [options.redirectTrailingSlash=false] in strict mode, answer a request that would
   *   be a 404 but has a route (for its method) with the trailing slash toggled with a redirect:
   *   301 for GET/HEAD, 308 otherwise, keeping the query string
   */
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`options must be an object, got ${typeName(options)}`);
    }
    assertOptionalBoolean(options.caseSensitive, 'options.caseSensitive');
    assertOptionalBoolean(options.strict, 'options.strict');
    assertOptionalBoolean(options.redirectTrailingSlash, 'options.redirectTrailingSlash');
    this.caseSensitive = options.caseSensitive !== false;
    this.strict = Boolean(options.strict);
    this.redirectTrailingSlash = Boolean(options.redirectTrailingSlash);
    /** @type {Route[]} kept sorted by priority, ties in registration order */
    this._routes = [];
    /** @type {Map<string, Route>} */
    this._names = new Map();
  }

  /**
   * Register a route.
   * @param {string | string[]} methods one method, a list, or `*` for any method
   * @param {string} pattern see {@link module:pathrouter/pattern}
   * @param {unknown} handler anything except undefined; returned by {@link Router#match}
   * @param {{ name?: string }} [options] `name` makes the route available to {@link Router#url}
   * @returns {this}
   * @throws {RouterError} on an invalid pattern or method, a duplicate route or a duplicate name
   */
  add(methods, pattern, handler, options = {}) {
    const list = (Array.isArray(methods) ? methods : [methods]).map((m) => normalizeMethod(m, true));
    if (list.length === 0) throw new RouterError('At least one method is required', 'ERR_INVALID_METHOD');
    if (handler === undefined) throw new TypeError(`handler for "${pattern}" must not be undefined`);
    const name = options.name === undefined ? null : options.name;
    if (name !== null) {
      assertString(name, 'options.name');
      if (name === '') throw new RouterError('Route name must not be empty', 'ERR_INVALID_NAME');
      if (this._names.has(name)) throw new RouterError(`A route named "${name}" already exists`, 'ERR_DUPLICATE_NAME');
    }
    const compiled = compilePattern(pattern, { caseSensitive: this.caseSensitive, strict: this.strict });
    const methodSet = new Set(list);
    for (const existing of this._routes) {
      if (existing.compiled.key !== compiled.key) continue;
      for (const method of methodSet) {
        if (existing.methods.has(method)) {
          throw new RouterError(`Route ${method} ${pattern} conflicts with ${existing.pattern}`, 'ERR_DUPLICATE_ROUTE');
        }
      }
    }
    const route = { methods: methodSet, pattern, compiled, handler, name };
    let index = this._routes.findIndex((other) => comparePatterns(compiled, other.compiled) < 0);
    if (index === -1) index = this._routes.length;
    this._routes.splice(index, 0, route);
    if (name !== null) this._names.set(name, route);
    return this;
  }

  /**
   * Register a route for every method.
   * @param {string} pattern
   * @param {unknown} handler
   * @param {{ name?: string }} [options]
   * @returns {this}
   */
  all(pattern, handler, options) {
    return this.add(ANY, pattern, handler, options);
  }

  /**
   * Find the route for a request.
   *
   * Routes are tried in priority order (static before parameter before wildcard).
   * A HEAD request falls back to a GET route when no route handles HEAD itself.
   * When the path exists but not for this method the result is a 405 with the
   * allowed methods; when nothing matches it is a 404.
   * @param {string} method
   * @param {string} url path with optional query string, or an absolute URL
   * @returns {MatchResult}
   */
  match(method, url) {
    const verb = normalizeMethod(method, false);
    const { path, query } = splitUrl(url);
    let normalized;
    try {
      normalized = normalizePath(path, { keepTrailingSlash: this.strict });
    } catch (err) {
      if (err instanceof RouterError) return { status: 400, path, error: err.message };
      throw err;
    }
    const result = this._lookup(verb, splitSegments(normalized));
    if (result.route !== null) return found(result.route, result.params, normalized, query);
    if (result.allowed.length > 0) return { status: 405, path: normalized, allowed: result.allowed };
    if (this.strict && this.redirectTrailingSlash && normalized !== '/') {
      const alternative = toggleTrailingSlash(normalized);
      if (this._lookup(verb, splitSegments(alternative)).route !== null) {
        const location = query === '' ? alternative : `${alternative}?${query}`;
        return { status: verb === 'GET' || verb === 'HEAD' ? 301 : 308, path: normalized, location };
      }
    }
    return { status: 404, path: normalized };
  }

  /**
   * Find the route for a method and normalised path segments.
   * @param {string} verb upper-case method
   * @param {string[]} segments
   * @returns {{ route: Route | null, params: Record<string, string> | null, allowed: string[] }}
   *   `allowed` lists the methods of the routes that match the path, when none accepts `verb`
   */
  _lookup(verb, segments) {
    const allowed = new Set();
    let headFallback = null;
    for (const route of this._routes) {
      const params = route.compiled.match(segments);
      if (params === null) continue;
      if (route.methods.has(verb) || route.methods.has(ANY)) return { route, params, allowed: [] };
      if (verb === 'HEAD' && headFallback === null && route.methods.has('GET')) {
        headFallback = { route, params, allowed: [] };
      }
      for (const m of route.methods) allowed.add(m);
    }
    if (headFallback !== null) return headFallback;
    if (allowed.has('GET')) allowed.add('HEAD');
    return { route: null, params: null, allowed: [...allowed].sort() };
  }

  /**
   * Build the URL of a named route.
   * @param {string} name the `name` given when the route was added
   * @param {Record<string, unknown>} [params] parameter values, percent-encoded into the path
   * @param {Record<string, unknown>} [query] appended as a query string when not empty
   * @returns {string}
   * @throws {RouterError} `ERR_UNKNOWN_ROUTE`, `ERR_MISSING_PARAM`, `ERR_INVALID_PARAM`
   */
  url(name, params = {}, query = undefined) {
    assertString(name, 'name');
    const route = this._names.get(name);
    if (route === undefined) throw new RouterError(`No route named "${name}"`, 'ERR_UNKNOWN_ROUTE');
    const path = route.compiled.build(params);
    if (query === undefined || query === null) return path;
    const qs = buildQuery(query);
    return qs === '' ? path : `${path}?${qs}`;
  }

  /**
   * The registered routes, in the order they are tried.
   * @returns {{ methods: string[], pattern: string, name: string | null }[]}
   */
  routes() {
    return this._routes.map(describeRoute);
  }
}

for (const shortcut of SHORTCUTS) {
  /**
   * Shortcut for `add(METHOD, pattern, handler, options)`.
   * @param {string} pattern
   * @param {unknown} handler
   * @param {{ name?: string }} [options]
   * @returns {Router}
   */
  Router.prototype[shortcut] = function addShortcut(pattern, handler, options) {
    return this.add(shortcut.toUpperCase(), pattern, handler, options);
  };
}

/**
 * @param {Route} route
 * @returns {{ methods: string[], pattern: string, name: string | null }}
 */
function describeRoute(route) {
  return { methods: [...route.methods].sort(), pattern: route.pattern, name: route.name };
}

/**
 * @param {Route} route
 * @param {Record<string, string>} params
 * @param {string} path
 * @param {string} rawQuery
 * @returns {MatchResult}
 */
function found(route, params, path, rawQuery) {
  return {
    status: 200,
    path,
    handler: route.handler,
    params,
    query: parseQuery(rawQuery),
    route: describeRoute(route),
  };
}

module.exports = { Router, normalizeMethod };
