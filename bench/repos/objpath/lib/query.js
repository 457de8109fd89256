'use strict';

/**
 * Wildcard queries.
 *
 *   query(doc, 'users.*.name')     one level
 *   query(doc, '**.id')            any depth, zero levels included
 *   query(doc, 'users[0,2].name')  unions of keys or indices
 *
 * Each match carries the concrete path it was found at, so it can be fed back to get/set/del.
 */

const { parsePattern, stringifyPath } = require('./parse');
const { isObjectLike, hasKey, childEntries, concreteSegment, resolveKey } = require('./util');

/**
 * @typedef {object} Match
 * @property {string} path                      Concrete path string, e.g. `users[1].name`.
 * @property {Array<string|number>} segments    The same path as segments.
 * @property {unknown} value                    The value found there.
 */

/**
 * Steps from `node` into one literal key or index token.
 *
 * @param {unknown} node
 * @param {{type: 'key'|'index', value: string|number}} token
 * @returns {[string|number, unknown] | null}  The concrete segment and child value, or null.
 */
function stepInto(node, token) {
  if (!isObjectLike(node)) return null;
  const key = resolveKey(node, token.value);
  if (key === undefined || !hasKey(node, key)) return null;
  return [concreteSegment(node, key), node[key]];
}

/**
 * Finds every value matching `pattern`, depth first, in key order. A concrete path is reported
 * at most once, even when several parts of the pattern could reach it (`**.**`). Cycles are
 * safe: `**` never follows a reference back to an object on the path it came from, while the
 * same object reached through two different keys is visited under both.
 *
 * @param {unknown} obj
 * @param {string|Array<string|number>} pattern
 * @returns {Match[]}
 */
function query(obj, pattern) {
  const tokens = parsePattern(pattern);
  const matches = [];
  const reported = new Set();
  const segments = [];
  // Objects on the concrete path being visited, with how many visits of each are in progress.
  const onPath = new Map();

  const visit = (node, t) => {
    if (isObjectLike(node)) onPath.set(node, (onPath.get(node) || 0) + 1);
    try {
      visitToken(node, t);
    } finally {
      if (isObjectLike(node)) {
        const count = onPath.get(node) - 1;
        if (count === 0) onPath.delete(node);
        else onPath.set(node, count);
      }
    }
  };

  const visitToken = (node, t) => {
    if (t === tokens.length) {
      const path = stringifyPath(segments);
      if (!reported.has(path)) {
        reported.add(path);
        matches.push({ path, segments: segments.slice(), value: node });
      }
      return;
    }
    const token = tokens[t];
    const descend = (segment, child, nextT) => {
      segments.push(segment);
      visit(child, nextT);
      segments.pop();
    };

    switch (token.type) {
      case 'key':
      case 'index': {
        const step = stepInto(node, token);
        if (step) descend(step[0], step[1], t + 1);
        break;
      }
      case 'union': {
        for (const member of token.members) {
          const step = stepInto(node, member);
          if (step) descend(step[0], step[1], t + 1);
        }
        break;
      }
      case 'wildcard': {
        for (const [segment, child] of childEntries(node)) descend(segment, child, t + 1);
        break;
      }
      case 'globstar': {
        visit(node, t + 1);
        for (const [segment, child] of childEntries(node)) {
          // A reference back to an object above us would repeat the same values forever.
          if (!onPath.has(child)) descend(segment, child, t);
        }
        break;
      }
      default:
        throw new Error(`Unknown token type ${token.type}`);
    }
  };

  visit(obj, 0);
  return matches;
}

/**
 * The values of `query(obj, pattern)`, without their paths.
 *
 * @param {unknown} obj
 * @param {string|Array<string|number>} pattern
 * @returns {unknown[]}
 */
function queryValues(obj, pattern) {
  return query(obj, pattern).map((match) => match.value);
}

/**
 * The first match of `pattern`, or undefined when nothing matches.
 *
 * @param {unknown} obj
 * @param {string|Array<string|number>} pattern
 * @returns {Match|undefined}
 */
function queryFirst(obj, pattern) {
  return query(obj, pattern)[0];
}

module.exports = { query, queryValues, queryFirst };
