'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const {
  TaskGraph,
  ValidationError,
  DuplicateTaskError,
  UnknownTaskError,
  MissingDependencyError,
  CycleError,
} = require('../lib');

function graphOf(spec) {
  const graph = new TaskGraph();
  for (const [id, deps] of Object.entries(spec)) graph.add(id, { deps });
  return graph;
}

describe('TaskGraph', () => {
  describe('add', () => {
    it('stores tasks with their dependencies and defaults', () => {
      const graph = new TaskGraph();
      const node = graph.add('build', { deps: 'compile' });
      assert.deepEqual([...node.deps], ['compile']);
      assert.equal(node.priority, 0);
      assert.equal(node.retries, undefined);
      assert.equal(node.run, null);
      assert.equal(node.index, 0);
      assert.equal(graph.size, 1);
      assert.equal(graph.has('build'), true);
    });

    it('removes duplicate dependencies but keeps their order', () => {
      const graph = new TaskGraph();
      graph.add('t', { deps: ['b', 'a', 'b', 'c', 'a'] });
      assert.deepEqual(graph.dependenciesOf('t'), ['b', 'a', 'c']);
    });

    it('rejects duplicate ids', () => {
      const graph = new TaskGraph();
      graph.add('a');
      assert.throws(() => graph.add('a'), DuplicateTaskError);
    });

    it('validates ids and options', () => {
      const graph = new TaskGraph();
      assert.throws(() => graph.add(''), ValidationError);
      assert.throws(() => graph.add(' a'), /must not start or end with whitespace/);
      assert.throws(() => graph.add('a', { dep: ['b'] }), /unknown option "dep"/);
      assert.throws(() => graph.add('a', { deps: 3 }), /must be a string or an array of strings/);
      assert.throws(() => graph.add('a', { deps: ['b', ''] }), /dependency #1 of task "a"/);
      assert.throws(() => graph.add('a', { priority: Infinity }), /priority of task "a"/);
      assert.throws(() => graph.add('a', { retries: -1 }), /retries of task "a" must be at least 0/);
      assert.throws(() => graph.add('a', { run: 'nope' }), /function of task "a" must be a function/);
      assert.equal(graph.size, 0);
    });

    it('throws UnknownTaskError for lookups of undefined tasks', () => {
      const graph = graphOf({ a: [] });
      assert.throws(() => graph.get('b'), UnknownTaskError);
      assert.throws(() => graph.dependentsOf('b'), UnknownTaskError);
    });
  });

  describe('dependents', () => {
    it('lists direct dependents in declaration order', () => {
      const graph = graphOf({ a: [], c: ['a'], b: ['a'], d: ['c'] });
      assert.deepEqual(graph.dependentsOf('a'), ['c', 'b']);
      assert.deepEqual(graph.dependentsOf('d'), []);
    });

    it('sees tasks added after a previous query', () => {
      const graph = graphOf({ a: [], b: ['a'] });
      assert.deepEqual(graph.dependentsOf('a'), ['b']);
      graph.add('c', { deps: ['a'] });
      assert.deepEqual(graph.dependentsOf('a'), ['b', 'c']);
      assert.deepEqual(graph.transitiveDependents('a'), ['b', 'c']);
    });

    it('lists transitive dependents breadth-first, each once', () => {
      const graph = graphOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'], f: [] });
      assert.deepEqual(graph.transitiveDependents('a'), ['b', 'c', 'd', 'e']);
      assert.deepEqual(graph.transitiveDependents('c'), ['d', 'e']);
      assert.deepEqual(graph.transitiveDependents('f'), []);
    });
  });

  describe('validate', () => {
    it('reports the first missing dependency', () => {
      const graph = graphOf({ a: ['x'], b: ['y'] });
      assert.deepEqual(graph.missingDependencies(), [
        { taskId: 'a', dependency: 'x' },
        { taskId: 'b', dependency: 'y' },
      ]);
      assert.throws(() => graph.validate(), (err) => {
        assert.ok(err instanceof MissingDependencyError);
        assert.equal(err.taskId, 'a');
        assert.equal(err.dependency, 'x');
        return true;
      });
    });

    it('accepts dependencies declared before the task they name', () => {
      const graph = graphOf({ app: ['lib'], lib: [] });
      assert.equal(graph.validate(), graph);
    });

    it('finds no cycle in a diamond', () => {
      const graph = graphOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
      assert.equal(graph.findCycle(), null);
    });

    it('reports a cycle with only the tasks on it', () => {
      const graph = graphOf({ start: ['a'], a: ['b'], b: ['c'], c: ['a'] });
      assert.deepEqual(graph.findCycle(), ['a', 'b', 'c', 'a']);
      assert.throws(() => graph.validate(), (err) => {
        assert.ok(err instanceof CycleError);
        assert.deepEqual(err.cycle, ['a', 'b', 'c', 'a']);
        assert.equal(err.message, 'Dependency cycle detected: a -> b -> c -> a');
        return true;
      });
    });

    it('reports a task that depends on itself', () => {
      const graph = graphOf({ a: [], b: ['a', 'b'] });
      assert.deepEqual(graph.findCycle(), ['b', 'b']);
    });

    it('handles long chains without recursion limits', () => {
      const graph = new TaskGraph();
      graph.add('t0');
      for (let i = 1; i < 20000; i++) graph.add(`t${i}`, { deps: [`t${i - 1}`] });
      assert.equal(graph.findCycle(), null);
    });
  });
});
