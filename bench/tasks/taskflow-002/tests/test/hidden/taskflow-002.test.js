'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Taskflow, TaskGraph, runGraph } = require('../../lib');

/** A task function that fails its first `failures` calls, then returns `value`. */
function flaky(failures, value, calls) {
  return ({ attempt }) => {
    calls.push(attempt);
    if (attempt <= failures) return Promise.reject(new Error(`failure ${attempt}`));
    return value;
  };
}

describe('retries', () => {
  it('retries once with retries: 1', async () => {
    const calls = [];
    const flow = new Taskflow().task('upload', flaky(1, 'uploaded', calls));
    const report = await flow.run({ retries: 1 });
    assert.deepEqual(calls, [1, 2]);
    assert.equal(report.status('upload'), 'succeeded');
    assert.equal(report.result('upload'), 'uploaded');
    assert.equal(report.attempts('upload'), 2);
  });

  it('calls a task that always fails retries + 1 times and keeps the last error', async () => {
    const calls = [];
    const graph = new TaskGraph();
    graph.add('always', { run: flaky(Infinity, null, calls) });
    const report = await runGraph(graph, { retries: 3 });
    assert.deepEqual(calls, [1, 2, 3, 4]);
    assert.equal(report.status('always'), 'failed');
    assert.equal(report.attempts('always'), 4);
    assert.equal(report.error('always').message, 'failure 4');
  });

  it('honours a per-task retry count over the run default', async () => {
    const calls = [];
    const other = [];
    const flow = new Taskflow({ retries: 0 })
      .task('net', { retries: 2 }, flaky(2, 'ok', calls))
      .task('disk', flaky(1, 'never', other));
    const report = await flow.run({ concurrency: 1 });
    assert.deepEqual(calls, [1, 2, 3]);
    assert.equal(report.status('net'), 'succeeded');
    assert.deepEqual(other, [1]);
    assert.equal(report.status('disk'), 'failed');
  });

  it('runs dependents once a flaky task recovers on its last retry', async () => {
    const calls = [];
    const flow = new Taskflow({ retries: 2 })
      .task('fetch', flaky(2, 21, calls))
      .task('double', 'fetch', ({ results }) => results.fetch * 2);
    const report = await flow.run();
    assert.deepEqual(calls, [1, 2, 3]);
    assert.equal(report.ok, true);
    assert.equal(report.result('double'), 42);
    assert.deepEqual(report.cancelled, []);
  });

  it('emits one retry event per extra attempt', async () => {
    const events = [];
    const flow = new Taskflow().task('t', flaky(Infinity, null, []));
    await flow.run({ retries: 2, onEvent: (e) => events.push(`${e.type}:${e.attempt ?? e.attempts}`) });
    assert.deepEqual(events, ['start:1', 'retry:1', 'start:2', 'retry:2', 'start:3', 'failure:3']);
  });
});
