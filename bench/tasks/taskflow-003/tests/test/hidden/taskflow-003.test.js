'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Taskflow, TaskGraph, CancelledError } = require('../../lib');

describe('tasks added after the flow was inspected or run', () => {
  it('includes them in order() and levels()', () => {
    const noop = () => {};
    const flow = new Taskflow().task('config', noop).task('build', 'config', noop);
    assert.deepEqual(flow.order(), ['config', 'build']);
    flow.task('test', 'build', noop).task('docs', 'config', noop);
    assert.deepEqual(flow.order(), ['config', 'build', 'test', 'docs']);
    assert.deepEqual(flow.levels(), [['config'], ['build', 'docs'], ['test']]);
  });

  it('runs them with the results of their dependencies', async () => {
    const ran = [];
    const flow = new Taskflow()
      .task('config', () => {
        ran.push('config');
        return 2;
      })
      .task('build', 'config', ({ results }) => {
        ran.push('build');
        return results.config + 1;
      });
    flow.order();
    flow.task('test', ['build', 'config'], ({ results }) => {
      ran.push('test');
      return results.build * results.config;
    });
    const report = await flow.run({ concurrency: 1 });
    assert.deepEqual(ran, ['config', 'build', 'test']);
    assert.equal(report.status('test'), 'succeeded');
    assert.equal(report.result('test'), 6);
    assert.deepEqual(report.ids(), ['config', 'build', 'test']);
  });

  it('includes them in a second run of the same flow', async () => {
    const ran = [];
    const record = (id) => () => ran.push(id);
    const flow = new Taskflow({ concurrency: 1 }).task('a', record('a')).task('b', 'a', record('b'));
    const first = await flow.run();
    assert.deepEqual(first.succeeded, ['a', 'b']);
    flow.task('c', { deps: 'b', priority: 1 }, record('c')).task('d', 'a', record('d'));
    const second = await flow.run();
    assert.deepEqual(second.succeeded, ['a', 'b', 'c', 'd']);
    assert.deepEqual(ran, ['a', 'b', 'a', 'b', 'c', 'd']);
  });

  it('cancels them when a task they depend on fails', async () => {
    const ran = [];
    const flow = new Taskflow()
      .task('fetch', () => {
        ran.push('fetch');
        throw new Error('offline');
      })
      .task('parse', 'fetch', () => ran.push('parse'));
    const first = await flow.run();
    assert.deepEqual(first.cancelled, ['parse']);
    flow.task('render', 'parse', () => ran.push('render')).task('index', 'fetch', () => ran.push('index'));
    const second = await flow.run();
    assert.deepEqual(ran, ['fetch', 'fetch']);
    assert.deepEqual(second.failed, ['fetch']);
    assert.deepEqual(second.cancelled.slice().sort(), ['index', 'parse', 'render']);
    assert.ok(second.error('render') instanceof CancelledError);
    assert.equal(second.error('render').failedTask, 'fetch');
  });

  it('keeps dependents queries of a TaskGraph up to date', () => {
    const graph = new TaskGraph();
    graph.add('a');
    graph.add('b', { deps: 'a' });
    assert.deepEqual(graph.transitiveDependents('a'), ['b']);
    graph.add('c', { deps: ['b'] });
    graph.add('d', { deps: ['a'] });
    assert.deepEqual(graph.dependentsOf('a'), ['b', 'd']);
    assert.deepEqual(graph.dependentsOf('b'), ['c']);
    assert.deepEqual(graph.dependentsOf('d'), []);
    assert.deepEqual(graph.transitiveDependents('a'), ['b', 'd', 'c']);
  });
});
