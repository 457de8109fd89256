'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Taskflow, TaskGraph, PriorityQueue, topologicalOrder } = require('../../lib');

describe('priority ordering', () => {
  it('orders independent tasks declared in increasing priority by priority', () => {
    const noop = () => {};
    const flow = new Taskflow()
      .task('cleanup', noop)
      .task('compile', { priority: 1 }, noop)
      .task('hotfix', { priority: 2 }, noop);
    assert.deepEqual(flow.order(), ['hotfix', 'compile', 'cleanup']);
  });

  it('pops values strictly by priority, equal priorities in push order', () => {
    const q = new PriorityQueue();
    const priorities = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4];
    priorities.forEach((p, i) => q.push(`v${i}`, p));
    assert.deepEqual(q.drain(), ['v2', 'v6', 'v4', 'v8', 'v0', 'v9', 'v1', 'v5', 'v7', 'v3']);
  });

  it('keeps declaration order within each priority when priorities are mixed', () => {
    const graph = new TaskGraph();
    for (const [id, priority] of [['a', 0], ['b', 1], ['c', 0], ['d', 1], ['e', 0]]) graph.add(id, { priority });
    assert.deepEqual(topologicalOrder(graph), ['b', 'd', 'a', 'c', 'e']);
  });

  it('handles negative and fractional priorities', () => {
    const q = new PriorityQueue();
    q.push('latest', -5.5).push('later', -5).push('normal').push('sooner', 0.5);
    assert.deepEqual(q.drain(), ['sooner', 'normal', 'later', 'latest']);
  });

  it('starts tasks by priority when running one at a time, after their dependencies', async () => {
    const started = [];
    const flow = new Taskflow({ concurrency: 1 });
    const spec = [
      ['docs', {}],
      ['build', { priority: 1 }],
      ['test', { deps: ['build'], priority: 3 }],
      ['release', { deps: ['test', 'docs'], priority: 9 }],
      ['notify', { priority: 2 }],
      ['lint', { priority: 4 }],
    ];
    for (const [id, options] of spec) flow.task(id, options, () => started.push(id));
    const report = await flow.run();
    assert.equal(report.ok, true);
    assert.deepEqual(started, ['lint', 'notify', 'build', 'test', 'docs', 'release']);
  });
});
