'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const taskflow = require('../../lib');

const { Taskflow, TaskGraph, CycleError, MissingDependencyError } = taskflow;
const noop = () => {};

describe('levels', () => {
  it('groups a flow into levels that only depend on earlier levels', () => {
    const flow = new Taskflow()
      .task('install', noop)
      .task('lint', 'install', noop)
      .task('compile', 'install', noop)
      .task('fixtures', noop)
      .task('test', ['compile', 'fixtures'], noop)
      .task('package', ['lint', 'test'], noop);
    assert.deepEqual(flow.levels(), [
      ['install', 'fixtures'],
      ['lint', 'compile'],
      ['test'],
      ['package'],
    ]);
  });

  it('puts a task one level after its deepest dependency', () => {
    const flow = new Taskflow()
      .task('a', noop)
      .task('b', 'a', noop)
      .task('c', 'b', noop)
      .task('d', ['a', 'c'], noop)
      .task('e', 'a', noop)
      .task('f', ['e', 'a'], noop);
    assert.deepEqual(flow.levels(), [['a'], ['b', 'e'], ['c', 'f'], ['d']]);
  });

  it('sorts each level by priority, then declaration order, without moving tasks between levels', () => {
    const flow = new Taskflow()
      .task('root', { priority: -1 }, noop)
      .task('x', noop)
      .task('y', { priority: 2 }, noop)
      .task('z', noop)
      .task('w', { priority: 2 }, noop)
      .task('after', { deps: 'root', priority: 100 }, noop)
      .task('later', { deps: 'x', priority: -3 }, noop)
      .task('mid', { deps: 'z' }, noop);
    assert.deepEqual(flow.levels(), [
      ['y', 'w', 'x', 'z', 'root'],
      ['after', 'mid', 'later'],
    ]);
  });

  it('returns no levels for an empty flow and rejects invalid graphs like order()', () => {
    assert.deepEqual(new Taskflow().levels(), []);
    const cyclic = new Taskflow().task('a', 'b', noop).task('b', 'a', noop);
    assert.throws(() => cyclic.levels(), (err) => {
      assert.ok(err instanceof CycleError);
      assert.deepEqual(err.cycle, ['a', 'b', 'a']);
      return true;
    });
    const missing = new Taskflow().task('a', 'ghost', noop);
    assert.throws(() => missing.levels(), MissingDependencyError);
  });

  it('is exported as levels(graph) for a plain TaskGraph, returning fresh arrays', () => {
    assert.equal(typeof taskflow.levels, 'function');
    const graph = new TaskGraph();
    graph.add('b', { deps: 'a' });
    graph.add('a');
    graph.add('c');
    const first = taskflow.levels(graph);
    assert.deepEqual(first, [['a', 'c'], ['b']]);
    first[0].push('mutated');
    first.push(['extra']);
    assert.deepEqual(taskflow.levels(graph), [['a', 'c'], ['b']]);
  });
});
