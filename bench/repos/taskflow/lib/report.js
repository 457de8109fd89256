'use strict';

/**
 * The outcome of a run: one record per task, in topological order.
 * @module taskflow/report
 */

const { UnknownTaskError, RunFailedError } = require('./errors');

/**
 * @typedef {'pending'|'running'|'succeeded'|'failed'|'cancelled'} TaskStatus
 *
 * @typedef {object} TaskRecord
 * @property {TaskStatus} status
 * @property {number} attempts how many times the task function was called
 * @property {unknown} result the resolved value, for a task that succeeded
 * @property {unknown} error the last error, for a task that failed or was cancelled
 */

const STATUSES = Object.freeze(['pending', 'running', 'succeeded', 'failed', 'cancelled']);

class RunReport {
  /**
   * @param {string[]} order task ids in topological order
   * @param {Map<string, TaskRecord>} records
   */
  constructor(order, records) {
    this._order = order.slice();
    /** @type {Map<string, Readonly<TaskRecord>>} */
    this._records = new Map();
    for (const id of this._order) {
      const record = records.get(id);
      if (!record) throw new UnknownTaskError(id);
      this._records.set(id, Object.freeze({ ...record }));
    }
  }

  /** True when every task succeeded (an empty run is ok). */
  get ok() {
    return this._order.every((id) => this._records.get(id).status === 'succeeded');
  }

  /** @returns {string[]} every task id, in the order they were scheduled */
  ids() {
    return this._order.slice();
  }

  /**
   * @param {string} id
   * @returns {Readonly<TaskRecord>}
   */
  get(id) {
    const record = this._records.get(id);
    if (!record) throw new UnknownTaskError(id);
    return record;
  }

  /** @param {string} id @returns {TaskStatus} */
  status(id) {
    return this.get(id).status;
  }

  /** @param {string} id @returns {unknown} */
  result(id) {
    return this.get(id).result;
  }

  /** @param {string} id @returns {unknown} */
  error(id) {
    return this.get(id).error;
  }

  /** @param {string} id @returns {number} */
  attempts(id) {
    return this.get(id).attempts;
  }

  /** @returns {string[]} ids of tasks that succeeded */
  get succeeded() {
    return this._withStatus('succeeded');
  }

  /** @returns {string[]} ids of tasks that failed */
  get failed() {
    return this._withStatus('failed');
  }

  /** @returns {string[]} ids of tasks that were cancelled */
  get cancelled() {
    return this._withStatus('cancelled');
  }

  /** @returns {Record<TaskStatus|'total', number>} counts per status */
  summary() {
    const counts = { total: this._order.length };
    for (const status of STATUSES) counts[status] = 0;
    for (const record of this._records.values()) counts[record.status] += 1;
    return counts;
  }

  /**
   * Plain data for logging or serialising; errors become their messages.
   * @returns {{ok: boolean, tasks: object[]}}
   */
  toJSON() {
    return {
      ok: this.ok,
      tasks: this._order.map((id) => {
        const { status, attempts, result, error } = this._records.get(id);
        const entry = { id, status, attempts };
        if (status === 'succeeded') entry.result = result;
        if (error !== undefined) entry.error = error instanceof Error ? error.message : String(error);
        return entry;
      }),
    };
  }

  /**
   * @returns {this}
   * @throws {RunFailedError} when a task failed
   */
  assertOk() {
    const failures = this.failed.map((id) => ({ id, error: this._records.get(id).error }));
    if (failures.length > 0) throw new RunFailedError(failures);
    return this;
  }

  /** @param {TaskStatus} status */
  _withStatus(status) {
    return this._order.filter((id) => this._records.get(id).status === status);
  }
}

module.exports = { RunReport, STATUSES };
