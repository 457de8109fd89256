'use strict';

/**
 * taskflow: an in-process task scheduler with a dependency graph.
 *
 *   const { Taskflow } = require('taskflow');
 *   const flow = new Taskflow({ concurrency: 2 })
 *     .task('fetch', async () => load())
 *     .task('parse', ['fetch'], ({ results }) => parse(results.fetch))
 *     .task('report', { deps: ['parse'], priority: 1, retries: 2 }, send);
 *   const report = await flow.run();
 *
 * @module taskflow
 */

const errors = require('./errors');
const { TaskGraph } = require('./graph');
const { PriorityQueue } = require('./queue');
const { topologicalOrder, levels } = require('./order');
const { runGraph } = require('./runner');
const { RunReport } = require('./report');
const { assertOptions, assertInteger, assertFunction, isPlainObject, describe } = require('./validate');

const FLOW_OPTIONS = ['concurrency', 'retries', 'onEvent'];
const FLOW_RUN_OPTIONS = ['concurrency', 'retries', 'onEvent', 'signal'];

/** A fluent wrapper around a TaskGraph and the runner. */
class Taskflow {
  /**
   * @param {{concurrency?: number, retries?: number, onEvent?: Function}} [options]
   *   defaults for every `run()`
   */
  constructor(options) {
    const opts = assertOptions(options, FLOW_OPTIONS, 'Taskflow');
    if (opts.concurrency !== undefined) {
      assertInteger(opts.concurrency, 'concurrency', { min: 1, allowInfinity: true });
    }
    if (opts.retries !== undefined) assertInteger(opts.retries, 'retries');
    if (opts.onEvent !== undefined) assertFunction(opts.onEvent, 'onEvent');
    this.defaults = { ...opts };
    this.graph = new TaskGraph();
  }

  /**
   * Adds a task. Accepted forms:
   *   task(id, fn)
   *   task(id, deps, fn)       deps: an id or an array of ids
   *   task(id, options, fn)    options: {deps, priority, retries}
   * The function receives a context `{id, attempt, results, signal}`.
   * @param {string} id
   * @param {Function|string|string[]|{deps?: string|string[], priority?: number, retries?: number}} specOrFn
   * @param {Function} [fn]
   * @returns {this}
   */
  task(id, specOrFn, fn) {
    if (typeof specOrFn === 'function') {
      if (fn !== undefined) {
        throw new errors.ValidationError(`task "${id}": unexpected third argument ${describe(fn)}`);
      }
      this.graph.add(id, { run: specOrFn });
      return this;
    }
    assertFunction(fn, `function of task "${id}"`);
    if (typeof specOrFn === 'string' || Array.isArray(specOrFn)) {
      this.graph.add(id, { deps: specOrFn, run: fn });
    } else if (isPlainObject(specOrFn)) {
      if ('run' in specOrFn) {
        throw new errors.ValidationError(`task "${id}": pass the function as the last argument, not as "run"`);
      }
      this.graph.add(id, { ...specOrFn, run: fn });
    } else {
      throw new errors.ValidationError(
        `task "${id}": expected dependencies or an options object, got ${describe(specOrFn)}`,
      );
    }
    return this;
  }

  /** @param {string} id */
  has(id) {
    return this.graph.has(id);
  }

  /** @returns {string[]} the order tasks run in with a concurrency of 1 */
  order() {
    return topologicalOrder(this.graph);
  }

  /** @returns {string[][]} tasks grouped into levels that could run in parallel */
  levels() {
    return levels(this.graph);
  }

  /** @returns {string[]|null} a dependency cycle, if there is one */
  findCycle() {
    return this.graph.findCycle();
  }

  /**
   * Runs every task; options override the defaults given to the constructor.
   * @param {{concurrency?: number, retries?: number, onEvent?: Function, signal?: AbortSignal}} [options]
   * @returns {Promise<RunReport>}
   */
  async run(options) {
    const opts = assertOptions(options, FLOW_RUN_OPTIONS, 'run()');
    const pick = (key) => (opts[key] !== undefined ? opts[key] : this.defaults[key]);
    return runGraph(this.graph, {
      concurrency: pick('concurrency'),
      retries: pick('retries'),
      onEvent: pick('onEvent'),
      signal: opts.signal,
    });
  }
}

/**
 * @param {{concurrency?: number, retries?: number, onEvent?: Function}} [options]
 * @returns {Taskflow}
 */
function createFlow(options) {
  return new Taskflow(options);
}

module.exports = {
  Taskflow,
  createFlow,
  TaskGraph,
  PriorityQueue,
  RunReport,
  topologicalOrder,
  levels,
  runGraph,
  ...errors,
};
