'use strict';

/**
 * Error thrown for malformed paths and for paths that cannot be applied to a value
 * (for example setting a property below a number).
 *
 * @property {string} path      The path (as given, or stringified) the error is about.
 * @property {number} position  Character offset in `path` where parsing failed, or -1 when the
 *                              error is not a syntax error.
 */
class PathError extends Error {
  /**
   * @param {string} message
   * @param {string} [path='']
   * @param {number} [position=-1]
   */
  constructor(message, path = '', position = -1) {
    super(message);
    this.name = 'PathError';
    this.path = path;
    this.position = position;
  }
}

/**
 * Builds a PathError for a syntax problem at a given offset, with the offending character quoted.
 *
 * @param {string} path
 * @param {number} position
 * @param {string} expected  Human readable description of what was expected instead.
 * @returns {PathError}
 */
function syntaxError(path, position, expected) {
  const found = position >= path.length ? 'end of path' : JSON.stringify(path[position]);
  return new PathError(
    `Unexpected ${found} at position ${position} in path ${JSON.stringify(path)}: expected ${expected}`,
    path,
    position
  );
}

module.exports = { PathError, syntaxError };
