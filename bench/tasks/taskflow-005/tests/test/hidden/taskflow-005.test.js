'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Taskflow, TaskGraph, runGraph, CancelledError, ValidationError } = require('../../lib');

describe('aborting a run', () => {
  it('runs nothing and cancels every task when the signal is already aborted', async () => {
    const calls = [];
    const flow = new Taskflow()
      .task('a', () => calls.push('a'))
      .task('b', 'a', () => calls.push('b'))
      .task('c', () => calls.push('c'));
    const report = await flow.run({ signal: AbortSignal.abort() });
    assert.deepEqual(calls, []);
    assert.equal(report.ok, false);
    assert.deepEqual(report.cancelled.slice().sort(), ['a', 'b', 'c']);
    for (const id of ['a', 'b', 'c']) {
      assert.ok(report.error(id) instanceof CancelledError, `${id} has a CancelledError`);
      assert.equal(report.attempts(id), 0);
    }
  });

  it('cancels tasks that have not started and keeps the result of the running one', async () => {
    const controller = new AbortController();
    const calls = [];
    const seen = [];
    const flow = new Taskflow({ concurrency: 1 })
      .task('a', () => calls.push('a'))
      .task('b', ({ signal }) => {
        calls.push('b');
        controller.abort();
        seen.push(Boolean(signal && signal.aborted));
        return 'finished anyway';
      })
      .task('c', () => calls.push('c'))
      .task('d', 'b', () => calls.push('d'));
    const report = await flow.run({ signal: controller.signal });
    assert.deepEqual(calls, ['a', 'b']);
    assert.deepEqual(seen, [true]);
    assert.equal(report.status('a'), 'succeeded');
    assert.equal(report.status('b'), 'succeeded');
    assert.equal(report.result('b'), 'finished anyway');
    assert.equal(report.status('c'), 'cancelled');
    assert.equal(report.status('d'), 'cancelled');
    assert.ok(report.error('d') instanceof CancelledError);
  });

  it('lets tasks already running finish when the limit allows several at once', async () => {
    const controller = new AbortController();
    const calls = [];
    const graph = new TaskGraph();
    graph.add('slow', {
      run: async () => {
        calls.push('slow');
        await null;
        await null;
        return 'slow done';
      },
    });
    graph.add('stopper', {
      run: () => {
        calls.push('stopper');
        controller.abort();
      },
    });
    graph.add('queued1', { run: () => calls.push('queued1') });
    graph.add('queued2', { run: () => calls.push('queued2') });
    graph.add('child', { deps: 'slow', run: () => calls.push('child') });
    const report = await runGraph(graph, { concurrency: 2, signal: controller.signal });
    assert.deepEqual(calls, ['slow', 'stopper']);
    assert.equal(report.result('slow'), 'slow done');
    assert.deepEqual(report.succeeded, ['slow', 'stopper']);
    assert.deepEqual(report.cancelled.slice().sort(), ['child', 'queued1', 'queued2']);
  });

  it('does not retry a task that fails after the abort', async () => {
    const controller = new AbortController();
    const attempts = [];
    const flow = new Taskflow({ retries: 3 }).task('upload', ({ attempt }) => {
      attempts.push(attempt);
      controller.abort();
      return Promise.reject(new Error('interrupted'));
    });
    const report = await flow.run({ signal: controller.signal });
    assert.deepEqual(attempts, [1]);
    assert.equal(report.status('upload'), 'failed');
    assert.equal(report.error('upload').message, 'interrupted');
  });

  it('gives tasks the signal and behaves as before when it is never aborted', async () => {
    const controller = new AbortController();
    const flags = [];
    const flow = new Taskflow({ concurrency: 1, retries: 1 })
      .task('x', ({ signal, attempt }) => {
        flags.push(signal.aborted);
        if (attempt === 1) throw new Error('flaky');
        return 1;
      })
      .task('y', 'x', ({ signal, results }) => {
        flags.push(signal.aborted);
        return results.x + 1;
      });
    const report = await flow.run({ signal: controller.signal });
    assert.equal(report.ok, true);
    assert.equal(report.result('y'), 2);
    assert.deepEqual(flags, [false, false, false]);
  });

  it('accepts an AbortSignal and rejects values that are not one', async () => {
    const calls = [];
    const flow = new Taskflow().task('a', () => calls.push('a'));
    await assert.rejects(flow.run({ signal: {} }), ValidationError);
    await assert.rejects(flow.run({ signal: 'stop' }), ValidationError);
    await assert.rejects(runGraph(flow.graph, { signal: true }), ValidationError);
    assert.deepEqual(calls, []);
    const report = await runGraph(flow.graph, { signal: new AbortController().signal });
    assert.equal(report.ok, true);
    assert.deepEqual(calls, ['a']);
  });
});
