'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { TaskGraph, runGraph, CancelledError, ValidationError, CycleError } = require('../lib');

/** Builds a graph whose task functions record the order they are called in. */
function recordingGraph(spec, calls) {
  const graph = new TaskGraph();
  for (const [id, options] of Object.entries(spec)) {
    const behaviour = options.fn || (() => id.toUpperCase());
    graph.add(id, {
      deps: options.deps,
      priority: options.priority,
      retries: options.retries,
      run: (ctx) => {
        calls.push(id);
        return behaviour(ctx);
      },
    });
  }
  return graph;
}

describe('runGraph', () => {
  describe('scheduling', () => {
    it('runs every task after its dependencies and collects results', async () => {
      const calls = [];
      const graph = recordingGraph({ c: { deps: ['a', 'b'] }, a: {}, b: { deps: 'a' } }, calls);
      const report = await runGraph(graph, { concurrency: 1 });
      assert.deepEqual(calls, ['a', 'b', 'c']);
      assert.equal(report.ok, true);
      assert.deepEqual(report.succeeded, ['a', 'b', 'c']);
      assert.equal(report.result('c'), 'C');
      assert.equal(report.attempts('a'), 1);
    });

    it('passes the results of direct dependencies to a task', async () => {
      const seen = {};
      const graph = new TaskGraph();
      graph.add('x', { run: () => 2 });
      graph.add('y', { run: async () => 3 });
      graph.add('sum', { deps: ['x', 'y'], run: ({ results }) => results.x + results.y });
      graph.add('last', {
        deps: ['sum'],
        run: (ctx) => {
          seen.id = ctx.id;
          seen.attempt = ctx.attempt;
          seen.results = ctx.results;
          return ctx.results.sum * 10;
        },
      });
      const report = await runGraph(graph);
      assert.equal(report.result('last'), 50);
      assert.deepEqual(seen, { id: 'last', attempt: 1, results: { sum: 5 } });
    });

    it('starts ready tasks by priority with a concurrency of 1', async () => {
      const calls = [];
      const graph = recordingGraph(
        { a: {}, b: { priority: 3 }, c: { priority: 3 }, d: { deps: 'a', priority: 10 }, e: { priority: 1 } },
        calls,
      );
      await runGraph(graph, { concurrency: 1 });
      assert.deepEqual(calls, ['b', 'c', 'e', 'a', 'd']);
    });

    it('never runs more tasks at once than the concurrency limit', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      const graph = new TaskGraph();
      for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
        graph.add(id, {
          run: async () => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await null;
            await null;
            inFlight -= 1;
          },
        });
      }
      const report = await runGraph(graph, { concurrency: 3 });
      assert.equal(report.succeeded.length, 7);
      assert.equal(maxInFlight, 3);
    });

    it('starts all ready tasks together without a limit', async () => {
      const events = [];
      const graph = recordingGraph({ a: {}, b: {}, c: {} }, []);
      await runGraph(graph, { onEvent: (e) => events.push(`${e.type}:${e.id}`) });
      assert.deepEqual(events.slice(0, 3), ['start:a', 'start:b', 'start:c']);
    });

    it('resolves with an empty report for an empty graph', async () => {
      const report = await runGraph(new TaskGraph());
      assert.equal(report.ok, true);
      assert.deepEqual(report.summary(), {
        total: 0,
        pending: 0,
        running: 0,
        succeeded: 0,
        failed: 0,
        cancelled: 0,
      });
    });
  });

  describe('validation', () => {
    it('rejects bad options before running anything', async () => {
      const calls = [];
      const graph = recordingGraph({ a: {} }, calls);
      await assert.rejects(runGraph(graph, { concurrency: 0 }), /concurrency must be at least 1/);
      await assert.rejects(runGraph(graph, { concurrency: 1.5 }), ValidationError);
      await assert.rejects(runGraph(graph, { retries: -1 }), /retries must be at least 0/);
      await assert.rejects(runGraph(graph, { onEvent: 'log' }), /onEvent must be a function/);
      await assert.rejects(runGraph(graph, { concurency: 2 }), /unknown option "concurency"/);
      await assert.rejects(runGraph(graph, { signal: {} }), /signal must be an AbortSignal/);
      assert.deepEqual(calls, []);
    });

    it('rejects graphs with cycles or tasks without a function', async () => {
      const cyclic = recordingGraph({ a: { deps: 'b' }, b: { deps: 'a' } }, []);
      await assert.rejects(runGraph(cyclic), CycleError);
      const graph = new TaskGraph();
      graph.add('a');
      await assert.rejects(runGraph(graph), /Task "a" has no function to run/);
    });
  });

  describe('failures', () => {
    it('treats a synchronous throw like a rejection', async () => {
      const graph = recordingGraph({
        a: {
          fn: () => {
            throw new Error('sync boom');
          },
        },
      }, []);
      const report = await runGraph(graph);
      assert.equal(report.status('a'), 'failed');
      assert.equal(report.error('a').message, 'sync boom');
      assert.equal(report.ok, false);
    });

    it('cancels every task downstream of a failure and keeps running the rest', async () => {
      const calls = [];
      const graph = recordingGraph(
        {
          a: { fn: () => Promise.reject(new Error('a broke')) },
          b: { deps: 'a' },
          c: { deps: 'b' },
          d: { deps: ['c', 'e'] },
          e: {},
        },
        calls,
      );
      const report = await runGraph(graph, { concurrency: 1 });
      assert.deepEqual(calls, ['a', 'e']);
      assert.deepEqual(report.failed, ['a']);
      assert.deepEqual(report.cancelled, ['b', 'c', 'd']);
      assert.deepEqual(report.succeeded, ['e']);
      const error = report.error('d');
      assert.ok(error instanceof CancelledError);
      assert.equal(error.failedTask, 'a');
      assert.equal(error.message, 'Task "d" was cancelled: dependency "a" failed');
    });

    it('retries a failing task and reports the attempts', async () => {
      const graph = recordingGraph({
        flaky: { fn: ({ attempt }) => (attempt < 3 ? Promise.reject(new Error(`try ${attempt}`)) : 'ok') },
      }, []);
      const events = [];
      const report = await runGraph(graph, { retries: 2, onEvent: (e) => events.push(`${e.type}:${e.attempt ?? e.attempts}`) });
      assert.equal(report.status('flaky'), 'succeeded');
      assert.equal(report.attempts('flaky'), 3);
      assert.deepEqual(events, ['start:1', 'retry:1', 'start:2', 'retry:2', 'start:3', 'success:3']);
    });

    it('gives up after the retry count and keeps the last error', async () => {
      const calls = [];
      const graph = recordingGraph({
        always: { fn: ({ attempt }) => Promise.reject(new Error(`fail ${attempt}`)), retries: 1 },
      }, calls);
      const report = await runGraph(graph, { retries: 5 });
      assert.equal(calls.length, 2);
      assert.equal(report.attempts('always'), 2);
      assert.equal(report.error('always').message, 'fail 2');
    });

    it('lets a task opt out of retries with retries: 0', async () => {
      const calls = [];
      const graph = recordingGraph({ once: { fn: () => Promise.reject(new Error('no')), retries: 0 } }, calls);
      const report = await runGraph(graph, { retries: 3 });
      assert.deepEqual(calls, ['once']);
      assert.equal(report.attempts('once'), 1);
    });

    it('ignores exceptions thrown by the event listener', async () => {
      const graph = recordingGraph({ a: {}, b: { deps: 'a' } }, []);
      const report = await runGraph(graph, {
        onEvent: () => {
          throw new Error('listener bug');
        },
      });
      assert.equal(report.ok, true);
    });
  });

  describe('abort signal', () => {
    it('runs nothing when the signal is already aborted', async () => {
      const calls = [];
      const graph = recordingGraph({ a: {}, b: { deps: 'a' } }, calls);
      const report = await runGraph(graph, { signal: AbortSignal.abort() });
      assert.deepEqual(calls, []);
      assert.deepEqual(report.cancelled, ['a', 'b']);
      assert.equal(report.error('a').message, 'Task "a" was cancelled: the run was aborted');
    });

    it('cancels tasks that have not started when aborted mid-run', async () => {
      const controller = new AbortController();
      const calls = [];
      const seen = [];
      const graph = recordingGraph(
        {
          a: {},
          b: {
            fn: ({ signal }) => {
              controller.abort();
              seen.push(signal.aborted);
              return 'done anyway';
            },
          },
          c: {},
          d: { deps: 'b' },
        },
        calls,
      );
      const report = await runGraph(graph, { concurrency: 1, signal: controller.signal });
      assert.deepEqual(calls, ['a', 'b']);
      assert.deepEqual(seen, [true]);
      assert.equal(report.result('b'), 'done anyway');
      assert.deepEqual(report.cancelled, ['c', 'd']);
    });
  });
});
