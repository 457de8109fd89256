'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { TaskGraph, topologicalOrder, levels, CycleError, MissingDependencyError } = require('../lib');

function graphOf(spec) {
  const graph = new TaskGraph();
  for (const [id, options] of Object.entries(spec)) graph.add(id, options);
  return graph;
}

describe('topologicalOrder', () => {
  it('puts every task after its dependencies', () => {
    const graph = graphOf({ deploy: { deps: ['test', 'build'] }, test: { deps: 'build' }, build: {} });
    assert.deepEqual(topologicalOrder(graph), ['build', 'test', 'deploy']);
  });

  it('keeps declaration order for independent tasks', () => {
    const graph = graphOf({ e: {}, d: {}, c: {}, b: {}, a: {} });
    assert.deepEqual(topologicalOrder(graph), ['e', 'd', 'c', 'b', 'a']);
  });

  it('runs higher priorities first among ready tasks', () => {
    const graph = graphOf({
      low: { priority: -1 },
      normal: {},
      urgent: { priority: 5 },
      high: { priority: 2 },
    });
    assert.deepEqual(topologicalOrder(graph), ['urgent', 'high', 'normal', 'low']);
  });

  it('breaks priority ties by declaration order, not by when a task became ready', () => {
    const graph = graphOf({
      root: {},
      first: { deps: ['root'] },
      second: {},
      third: { deps: ['root'] },
    });
    assert.deepEqual(topologicalOrder(graph), ['root', 'first', 'second', 'third']);
  });

  it('never lets priority jump over a dependency', () => {
    const graph = graphOf({ base: { priority: -10 }, top: { deps: ['base'], priority: 100 }, other: {} });
    assert.deepEqual(topologicalOrder(graph), ['other', 'base', 'top']);
  });

  it('returns an empty order for an empty graph', () => {
    assert.deepEqual(topologicalOrder(new TaskGraph()), []);
  });

  it('throws on cycles and missing dependencies', () => {
    assert.throws(() => topologicalOrder(graphOf({ a: { deps: 'b' }, b: { deps: 'a' } })), CycleError);
    assert.throws(() => topologicalOrder(graphOf({ a: { deps: 'nope' } })), MissingDependencyError);
  });
});

describe('levels', () => {
  it('groups tasks by their depth in the graph', () => {
    const graph = graphOf({
      a: {},
      b: {},
      c: { deps: ['a'] },
      d: { deps: ['a', 'b'] },
      e: { deps: ['c', 'b'] },
    });
    assert.deepEqual(levels(graph), [['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('places a task one level after its deepest dependency', () => {
    const graph = graphOf({ a: {}, b: { deps: 'a' }, c: { deps: 'b' }, d: { deps: ['a', 'c'] } });
    assert.deepEqual(levels(graph), [['a'], ['b'], ['c'], ['d']]);
  });

  it('sorts each level by priority, then declaration order', () => {
    const graph = graphOf({ x: {}, y: { priority: 1 }, z: {}, w: { priority: 1 } });
    assert.deepEqual(levels(graph), [['y', 'w', 'x', 'z']]);
  });

  it('returns no levels for an empty graph and throws on cycles', () => {
    assert.deepEqual(levels(new TaskGraph()), []);
    assert.throws(() => levels(graphOf({ a: { deps: 'a' } })), CycleError);
  });
});
