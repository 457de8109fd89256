'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Taskflow, createFlow, ValidationError, RunFailedError } = require('../lib');

describe('Taskflow', () => {
  describe('task()', () => {
    it('accepts a function, dependencies or options', () => {
      const noop = () => {};
      const flow = new Taskflow()
        .task('a', noop)
        .task('b', 'a', noop)
        .task('c', ['a', 'b'], noop)
        .task('d', { deps: 'c', priority: 2, retries: 1 }, noop);
      assert.deepEqual(flow.graph.dependenciesOf('c'), ['a', 'b']);
      assert.equal(flow.graph.get('d').priority, 2);
      assert.equal(flow.graph.get('d').retries, 1);
      assert.equal(flow.has('d'), true);
      assert.equal(flow.has('e'), false);
    });

    it('rejects malformed calls', () => {
      const flow = createFlow();
      assert.throws(() => flow.task('a'), /function of task "a" must be a function, got undefined/);
      assert.throws(() => flow.task('a', () => {}, () => {}), /unexpected third argument/);
      assert.throws(() => flow.task('a', 42, () => {}), /expected dependencies or an options object, got 42/);
      assert.throws(() => flow.task('a', { run: () => {} }, () => {}), /not as "run"/);
      assert.throws(() => flow.task('a', { deps: [], prio: 1 }, () => {}), ValidationError);
      assert.equal(flow.graph.size, 0);
    });

    it('validates constructor options', () => {
      assert.throws(() => new Taskflow({ concurrency: 0 }), /concurrency must be at least 1/);
      assert.throws(() => new Taskflow({ retries: 1.5 }), /retries must be an integer/);
      assert.throws(() => new Taskflow({ verbose: true }), /unknown option "verbose"/);
      assert.throws(() => new Taskflow([]), /options must be a plain object, got an array/);
    });
  });

  describe('planning', () => {
    it('exposes the run order and the levels', () => {
      const flow = new Taskflow()
        .task('lint', () => {})
        .task('compile', () => {})
        .task('test', ['compile'], () => {})
        .task('package', { deps: ['lint', 'test'], priority: 1 }, () => {});
      assert.deepEqual(flow.order(), ['lint', 'compile', 'test', 'package']);
      assert.deepEqual(flow.levels(), [['lint', 'compile'], ['test'], ['package']]);
      assert.equal(flow.findCycle(), null);
    });

    it('reports a cycle', () => {
      const flow = new Taskflow().task('a', 'c', () => {}).task('b', 'a', () => {}).task('c', 'b', () => {});
      assert.deepEqual(flow.findCycle(), ['a', 'c', 'b', 'a']);
      assert.throws(() => flow.order(), /Dependency cycle detected: a -> c -> b -> a/);
    });
  });

  describe('run()', () => {
    it('uses constructor defaults and lets run() override them', async () => {
      const attempts = [];
      const flow = new Taskflow({ retries: 2 }).task('x', ({ attempt }) => {
        attempts.push(attempt);
        throw new Error('nope');
      });
      const first = await flow.run();
      assert.equal(first.attempts('x'), 3);
      const second = await flow.run({ retries: 0 });
      assert.equal(second.attempts('x'), 1);
      assert.deepEqual(attempts, [1, 2, 3, 1]);
    });

    it('can be run more than once with fresh state', async () => {
      let count = 0;
      const flow = new Taskflow().task('inc', () => ++count).task('double', 'inc', ({ results }) => results.inc * 2);
      const first = await flow.run();
      const second = await flow.run();
      assert.equal(first.result('double'), 2);
      assert.equal(second.result('double'), 4);
    });

    it('summarises failures and throws from assertOk()', async () => {
      const flow = new Taskflow()
        .task('ok', () => 'fine')
        .task('bad', () => Promise.reject(new Error('broken')))
        .task('after', 'bad', () => 'never');
      const report = await flow.run({ concurrency: 1 });
      assert.deepEqual(report.summary(), {
        total: 3,
        pending: 0,
        running: 0,
        succeeded: 1,
        failed: 1,
        cancelled: 1,
      });
      assert.deepEqual(report.toJSON(), {
        ok: false,
        tasks: [
          { id: 'ok', status: 'succeeded', attempts: 1, result: 'fine' },
          { id: 'bad', status: 'failed', attempts: 1, error: 'broken' },
          { id: 'after', status: 'cancelled', attempts: 0, error: 'Task "after" was cancelled: dependency "bad" failed' },
        ],
      });
      assert.throws(() => report.assertOk(), (err) => {
        assert.ok(err instanceof RunFailedError);
        assert.equal(err.message, '1 task(s) failed: bad');
        assert.equal(err.failures[0].error.message, 'broken');
        return true;
      });
    });

    it('passes an abort signal through to the tasks', async () => {
      const controller = new AbortController();
      const calls = [];
      const flow = new Taskflow({ concurrency: 1 })
        .task('first', ({ signal }) => {
          calls.push(signal === controller.signal);
          controller.abort();
        })
        .task('second', () => calls.push('second'));
      const report = await flow.run({ signal: controller.signal });
      assert.deepEqual(calls, [true]);
      assert.deepEqual(report.cancelled, ['second']);
    });

    it('rejects unknown run options', async () => {
      await assert.rejects(new Taskflow().run({ paralel: 2 }), /run\(\): unknown option "paralel"/);
    });
  });
});
