'use strict';

/**
 * Orderings of a task graph: a full topological order, and the order split
 * into levels of tasks that could run in parallel.
 * @module taskflow/order
 */

const { PriorityQueue } = require('./queue');

/**
 * Orders tasks so that every task comes after all of its dependencies. Among
 * tasks whose dependencies are all satisfied, higher priority comes first,
 * then declaration order.
 * @param {import('./graph').TaskGraph} graph
 * @returns {string[]}
 * @throws {import('./errors').MissingDependencyError|import('./errors').CycleError}
 */
function topologicalOrder(graph) {
  graph.validate();
  const waiting = new Map();
  const ready = new PriorityQueue();
  for (const node of graph.nodes()) {
    waiting.set(node.id, node.deps.length);
    if (node.deps.length === 0) ready.push(node.id, node.priority, node.index);
  }
  const order = [];
  while (!ready.isEmpty()) {
    const id = ready.pop();
    order.push(id);
    for (const dependent of graph.dependentsOf(id)) {
      const left = waiting.get(dependent) - 1;
      waiting.set(dependent, left);
      if (left === 0) {
        const node = graph.get(dependent);
        ready.push(node.id, node.priority, node.index);
      }
    }
  }
  return order;
}

/**
 * Groups tasks into levels: level 0 holds the tasks without dependencies, and
 * every other task sits one level after the deepest of its dependencies, so
 * the tasks of one level only depend on earlier levels. Within a level, tasks
 * are sorted by priority (highest first), then declaration order.
 * @param {import('./graph').TaskGraph} graph
 * @returns {string[][]}
 * @throws {import('./errors').MissingDependencyError|import('./errors').CycleError}
 */
function levels(graph) {
  const depth = new Map();
  const groups = [];
  for (const id of topologicalOrder(graph)) {
    const node = graph.get(id);
    let level = 0;
    for (const dep of node.deps) level = Math.max(level, depth.get(dep) + 1);
    depth.set(id, level);
    if (groups.length <= level) groups.push([]);
    groups[level].push(node);
  }
  return groups.map((group) => group.sort(compareNodes).map((node) => node.id));
}

/**
 * Sort comparator: higher priority first, then declaration order.
 * @param {import('./graph').TaskNode} a
 * @param {import('./graph').TaskNode} b
 * @returns {number}
 */
function compareNodes(a, b) {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.index - b.index;
}

module.exports = { topologicalOrder, levels, compareNodes };
