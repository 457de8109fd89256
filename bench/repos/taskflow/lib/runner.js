'use strict';

/**
 * Runs the tasks of a graph: a task starts once all of its dependencies have
 * succeeded, at most `concurrency` tasks run at a time, a failing task is
 * retried a fixed number of times, and when it fails for good every task that
 * depends on it (directly or not) is cancelled. Other tasks carry on.
 * @module taskflow/runner
 */

const { CancelledError, ValidationError } = require('./errors');
const { PriorityQueue } = require('./queue');
const { topologicalOrder } = require('./order');
const { RunReport } = require('./report');
const { assertOptions, assertInteger, assertFunction, assertSignal } = require('./validate');

const RUN_OPTIONS = ['concurrency', 'retries', 'onEvent', 'signal'];

/**
 * @typedef {object} RunOptions
 * @property {number} [concurrency] most tasks running at once; a positive integer or Infinity (default)
 * @property {number} [retries] default retry count for tasks that set none (default 0)
 * @property {(event: object) => void} [onEvent] called synchronously with
 *   `{type: 'start'|'retry'|'success'|'failure'|'cancel', id, ...}`; exceptions it throws are ignored
 * @property {AbortSignal} [signal] aborting it cancels every task that has not started yet
 */

/**
 * @typedef {object} TaskContext
 * @property {string} id the task's id
 * @property {number} attempt 1 for the first call, 2 for the first retry, ...
 * @property {Record<string, unknown>} results the results of the task's direct dependencies
 * @property {AbortSignal|null} signal the run's signal, if one was given
 */

/**
 * Runs every task of `graph`. Resolves with a RunReport once every task has
 * succeeded, failed or been cancelled; it does not reject because a task
 * failed (use `report.assertOk()` for that).
 * @param {import('./graph').TaskGraph} graph
 * @param {RunOptions} [options]
 * @returns {Promise<RunReport>}
 * @throws {ValidationError|import('./errors').CycleError|import('./errors').MissingDependencyError}
 *   (as a rejection) before any task starts
 */
async function runGraph(graph, options) {
  const opts = assertOptions(options, RUN_OPTIONS, 'run()');
  const settings = {
    concurrency:
      opts.concurrency === undefined
        ? Infinity
        : assertInteger(opts.concurrency, 'concurrency', { min: 1, allowInfinity: true }),
    retries: opts.retries === undefined ? 0 : assertInteger(opts.retries, 'retries'),
    onEvent: opts.onEvent === undefined ? null : assertFunction(opts.onEvent, 'onEvent'),
    signal: opts.signal === undefined ? null : assertSignal(opts.signal),
  };
  const order = topologicalOrder(graph);
  for (const id of order) {
    if (graph.get(id).run === null) throw new ValidationError(`Task "${id}" has no function to run`);
  }
  return new Execution(graph, order, settings).start();
}

/** The state of one run. */
class Execution {
  /**
   * @param {import('./graph').TaskGraph} graph
   * @param {string[]} order
   * @param {{concurrency: number, retries: number, onEvent: Function|null, signal: AbortSignal|null}} settings
   */
  constructor(graph, order, settings) {
    this.graph = graph;
    this.order = order;
    this.settings = settings;
    /** @type {Map<string, import('./report').TaskRecord>} */
    this.records = new Map(
      order.map((id) => [id, { status: 'pending', attempts: 0, result: undefined, error: undefined }]),
    );
    /** Dependencies each task still waits for. */
    this.waiting = new Map(order.map((id) => [id, graph.get(id).deps.length]));
    this.ready = new PriorityQueue();
    this.running = 0;
    this.aborted = false;
    this.finished = false;
    this.resolve = null;
    this.onAbort = () => this.abort();
  }

  /** @returns {Promise<RunReport>} */
  start() {
    return new Promise((resolve) => {
      this.resolve = resolve;
      const { signal } = this.settings;
      if (signal) {
        if (signal.aborted) {
          this.abort();
          return;
        }
        signal.addEventListener('abort', this.onAbort, { once: true });
      }
      for (const id of this.order) {
        if (this.waiting.get(id) === 0) this.enqueue(id);
      }
      this.pump();
    });
  }

  /** @param {string} id */
  enqueue(id) {
    const node = this.graph.get(id);
    this.ready.push(id, node.priority, node.index);
  }

  /** Starts ready tasks up to the concurrency limit; finishes when idle. */
  pump() {
    while (!this.aborted && this.running < this.settings.concurrency && !this.ready.isEmpty()) {
      this.launch(this.ready.pop());
    }
    if (this.running === 0 && (this.aborted || this.ready.isEmpty())) this.finish();
  }

  /** @param {string} id */
  launch(id) {
    this.running += 1;
    this.records.get(id).status = 'running';
    this.attempt(id, 1);
  }

  /**
   * Calls the task function once; a synchronous throw counts as a rejection.
   * @param {string} id
   * @param {number} attempt
   */
  attempt(id, attempt) {
    const node = this.graph.get(id);
    this.records.get(id).attempts = attempt;
    this.emit({ type: 'start', id, attempt });
    const context = {
      id,
      attempt,
      results: Object.fromEntries(node.deps.map((dep) => [dep, this.records.get(dep).result])),
      signal: this.settings.signal,
    };
    let promise;
    try {
      promise = Promise.resolve(node.run(context));
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => this.succeed(id, value),
      (error) => this.attemptFailed(id, attempt, error),
    );
  }

  /**
   * @param {string} id
   * @param {number} attempt the attempt that just failed
   * @param {unknown} error
   */
  attemptFailed(id, attempt, error) {
    const node = this.graph.get(id);
    const retries = node.retries === undefined ? this.settings.retries : node.retries;
    if (attempt <= retries && !this.aborted) {
      this.emit({ type: 'retry', id, attempt, error });
      this.attempt(id, attempt + 1);
      return;
    }
    this.fail(id, error);
  }

  /**
   * @param {string} id
   * @param {unknown} value
   */
  succeed(id, value) {
    const record = this.records.get(id);
    record.status = 'succeeded';
    record.result = value;
    this.running -= 1;
    this.emit({ type: 'success', id, attempts: record.attempts, result: value });
    for (const dependent of this.graph.dependentsOf(id)) {
      const left = this.waiting.get(dependent) - 1;
      this.waiting.set(dependent, left);
      if (left === 0 && this.records.get(dependent).status === 'pending') this.enqueue(dependent);
    }
    this.pump();
  }

  /**
   * Records a final failure and cancels everything downstream of it.
   * @param {string} id
   * @param {unknown} error
   */
  fail(id, error) {
    const record = this.records.get(id);
    record.status = 'failed';
    record.error = error;
    this.running -= 1;
    this.emit({ type: 'failure', id, attempts: record.attempts, error });
    for (const dependent of this.graph.transitiveDependents(id)) {
      this.cancel(dependent, new CancelledError(dependent, `dependency "${id}" failed`, id));
    }
    this.pump();
  }

  /**
   * Cancels a task that has not started; does nothing for any other task.
   * @param {string} id
   * @param {CancelledError} error
   */
  cancel(id, error) {
    const record = this.records.get(id);
    if (record.status !== 'pending') return;
    record.status = 'cancelled';
    record.error = error;
    this.emit({ type: 'cancel', id, error });
  }

  /** Cancels every task that has not started; running tasks may finish. */
  abort() {
    if (this.aborted || this.finished) return;
    this.aborted = true;
    this.ready.clear();
    for (const id of this.order) this.cancel(id, new CancelledError(id, 'the run was aborted'));
    this.pump();
  }

  finish() {
    if (this.finished) return;
    this.finished = true;
    if (this.settings.signal) this.settings.signal.removeEventListener('abort', this.onAbort);
    this.resolve(new RunReport(this.order, this.records));
  }

  /** @param {object} event */
  emit(event) {
    if (!this.settings.onEvent) return;
    try {
      this.settings.onEvent(event);
    } catch {
      // A listener must not be able to break the run's bookkeeping.
    }
  }
}

module.exports = { runGraph, RUN_OPTIONS };
