'use strict';

/**
 * The dependency graph: tasks, the tasks they depend on, and the queries the
 * ordering and the runner need (dependents, transitive dependents, cycles).
 * Dependencies may name tasks that are added later; they are checked by
 * `validate()`, which ordering and running call first.
 * @module taskflow/graph
 */

const {
  DuplicateTaskError,
  UnknownTaskError,
  MissingDependencyError,
  CycleError,
} = require('./errors');
const {
  assertTaskId,
  assertOptions,
  assertInteger,
  assertFiniteNumber,
  assertFunction,
  normalizeDependencies,
} = require('./validate');

/**
 * @typedef {object} TaskNode
 * @property {string} id
 * @property {readonly string[]} deps ids this task depends on, in declaration order
 * @property {number} priority higher runs first among tasks that are ready
 * @property {number|undefined} retries per-task retry count; undefined means "use the run's default"
 * @property {Function|null} run the task function, or null for a graph used only for ordering
 * @property {number} index position in declaration order, used to break ties
 */

const TASK_OPTIONS = ['deps', 'priority', 'retries', 'run'];

class TaskGraph {
  constructor() {
    /** @type {Map<string, TaskNode>} */
    this._nodes = new Map();
    /** @type {Map<string, string[]>|null} reverse edges, built on demand */
    this._dependents = null;
  }

  /** Number of tasks. */
  get size() {
    return this._nodes.size;
  }

  /**
   * Registers a task.
   * @param {string} id
   * @param {{deps?: string|string[], priority?: number, retries?: number, run?: Function}} [options]
   * @returns {TaskNode}
   */
  add(id, options) {
    assertTaskId(id);
    const opts = assertOptions(options, TASK_OPTIONS, `task "${id}"`);
    if (this._nodes.has(id)) throw new DuplicateTaskError(id);
    const node = Object.freeze({
      id,
      deps: Object.freeze(normalizeDependencies(opts.deps, id)),
      priority: opts.priority === undefined ? 0 : assertFiniteNumber(opts.priority, `priority of task "${id}"`),
      retries: opts.retries === undefined ? undefined : assertInteger(opts.retries, `retries of task "${id}"`),
      run: opts.run === undefined ? null : assertFunction(opts.run, `function of task "${id}"`),
      index: this._nodes.size,
    });
    this._nodes.set(id, node);
    this._dependents = null;
    return node;
  }

  /** @param {string} id */
  has(id) {
    return this._nodes.has(id);
  }

  /**
   * @param {string} id
   * @returns {TaskNode}
   * @throws {UnknownTaskError}
   */
  get(id) {
    const node = this._nodes.get(id);
    if (!node) throw new UnknownTaskError(id);
    return node;
  }

  /** @returns {string[]} every task id, in declaration order */
  ids() {
    return [...this._nodes.keys()];
  }

  /** @returns {TaskNode[]} every task, in declaration order */
  nodes() {
    return [...this._nodes.values()];
  }

  /**
   * @param {string} id
   * @returns {string[]} the ids `id` depends on directly
   */
  dependenciesOf(id) {
    return this.get(id).deps.slice();
  }

  /**
   * @param {string} id
   * @returns {string[]} the ids that depend directly on `id`, in declaration order
   */
  dependentsOf(id) {
    this.get(id);
    return this._reverseEdges().get(id).slice();
  }

  /**
   * Every task that depends on `id` directly or through other tasks, nearest
   * first (breadth-first, declaration order within a level). `id` itself is
   * not included.
   * @param {string} id
   * @returns {string[]}
   */
  transitiveDependents(id) {
    this.get(id);
    const reverse = this._reverseEdges();
    const seen = new Set([id]);
    const result = [];
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.shift();
      for (const dependent of reverse.get(current)) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        result.push(dependent);
        queue.push(dependent);
      }
    }
    return result;
  }

  /**
   * @returns {{taskId: string, dependency: string}[]} every dependency that
   *   names an undefined task, in declaration order
   */
  missingDependencies() {
    const missing = [];
    for (const node of this._nodes.values()) {
      for (const dep of node.deps) {
        if (!this._nodes.has(dep)) missing.push({ taskId: node.id, dependency: dep });
      }
    }
    return missing;
  }

  /**
   * Finds one dependency cycle, searching tasks and their dependencies in
   * declaration order. Undefined dependencies are ignored.
   * @returns {string[]|null} the cycle with its first id repeated at the end
   *   (e.g. `['a', 'b', 'a']`), or null when the graph is acyclic
   */
  findCycle() {
    const DONE = 2;
    const ACTIVE = 1;
    const state = new Map();
    for (const root of this._nodes.keys()) {
      if (state.has(root)) continue;
      // Iterative depth-first search: `path` is the chain of tasks being
      // explored, `cursor` the next dependency to look at for each of them.
      const path = [root];
      const cursor = [0];
      state.set(root, ACTIVE);
      while (path.length > 0) {
        const top = path.length - 1;
        const deps = this._nodes.get(path[top]).deps;
        if (cursor[top] >= deps.length) {
          state.set(path[top], DONE);
          path.pop();
          cursor.pop();
          continue;
        }
        const dep = deps[cursor[top]];
        cursor[top] += 1;
        if (!this._nodes.has(dep) || state.get(dep) === DONE) continue;
        if (state.get(dep) === ACTIVE) {
          return [...path.slice(path.indexOf(dep)), dep];
        }
        state.set(dep, ACTIVE);
        path.push(dep);
        cursor.push(0);
      }
    }
    return null;
  }

  /**
   * Checks that every dependency is defined and that there is no cycle.
   * @returns {this}
   * @throws {MissingDependencyError|CycleError}
   */
  validate() {
    const [missing] = this.missingDependencies();
    if (missing) throw new MissingDependencyError(missing.taskId, missing.dependency);
    const cycle = this.findCycle();
    if (cycle) throw new CycleError(cycle);
    return this;
  }

  /** @returns {Map<string, string[]>} id -> ids that depend on it directly */
  _reverseEdges() {
    if (this._dependents === null) {
      const reverse = new Map();
      for (const id of this._nodes.keys()) reverse.set(id, []);
      for (const node of this._nodes.values()) {
        for (const dep of node.deps) {
          if (reverse.has(dep)) reverse.get(dep).push(node.id);
        }
      }
      this._dependents = reverse;
    }
    return this._dependents;
  }
}

module.exports = { TaskGraph, TASK_OPTIONS };
