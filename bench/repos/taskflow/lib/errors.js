'use strict';

/**
 * Error classes used throughout taskflow. Every error carries a stable `code`
 * so callers can branch on it without parsing messages.
 * @module taskflow/errors
 */

/** Base class of every error thrown by taskflow. */
class TaskflowError extends Error {
  /**
   * @param {string} message
   * @param {string} [code]
   */
  constructor(message, code = 'ERR_TASKFLOW') {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An argument or option had the wrong type or an out-of-range value. */
class ValidationError extends TaskflowError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'ERR_VALIDATION');
  }
}

/** A task id was registered twice. */
class DuplicateTaskError extends TaskflowError {
  /** @param {string} taskId */
  constructor(taskId) {
    super(`Task "${taskId}" is already defined`, 'ERR_DUPLICATE_TASK');
    this.taskId = taskId;
  }
}

/** A task id was looked up but never registered. */
class UnknownTaskError extends TaskflowError {
  /** @param {string} taskId */
  constructor(taskId) {
    super(`Unknown task "${taskId}"`, 'ERR_UNKNOWN_TASK');
    this.taskId = taskId;
  }
}

/** A task depends on a task that was never registered. */
class MissingDependencyError extends TaskflowError {
  /**
   * @param {string} taskId the task that declared the dependency
   * @param {string} dependency the id that is not defined
   */
  constructor(taskId, dependency) {
    super(`Task "${taskId}" depends on "${dependency}", which is not defined`, 'ERR_MISSING_DEPENDENCY');
    this.taskId = taskId;
    this.dependency = dependency;
  }
}

/**
 * The dependency graph contains a cycle. `cycle` lists the task ids along the
 * cycle in dependency direction, with the first id repeated at the end:
 * `['a', 'b', 'a']` means "a depends on b, which depends on a".
 */
class CycleError extends TaskflowError {
  /** @param {string[]} cycle */
  constructor(cycle) {
    super(`Dependency cycle detected: ${cycle.join(' -> ')}`, 'ERR_CYCLE');
    this.cycle = cycle.slice();
  }
}

/** Recorded as the error of a task that never ran. */
class CancelledError extends TaskflowError {
  /**
   * @param {string} taskId the task that was cancelled
   * @param {string} reason human-readable reason
   * @param {string|null} [failedTask] the failed task that caused it, if any
   */
  constructor(taskId, reason, failedTask = null) {
    super(`Task "${taskId}" was cancelled: ${reason}`, 'ERR_CANCELLED');
    this.taskId = taskId;
    this.failedTask = failedTask;
  }
}

/** Thrown by `RunReport#assertOk()` when at least one task failed. */
class RunFailedError extends TaskflowError {
  /** @param {{id: string, error: unknown}[]} failures */
  constructor(failures) {
    const ids = failures.map((f) => f.id).join(', ');
    super(`${failures.length} task(s) failed: ${ids}`, 'ERR_RUN_FAILED');
    this.failures = failures.slice();
  }
}

module.exports = {
  TaskflowError,
  ValidationError,
  DuplicateTaskError,
  UnknownTaskError,
  MissingDependencyError,
  CycleError,
  CancelledError,
  RunFailedError,
};
