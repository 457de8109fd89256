'use strict';

/**
 * A binary-heap priority queue with a stable tie-break. It orders the tasks
 * that are ready to run, both when computing a topological order and inside
 * the runner.
 * @module taskflow/queue
 */

const { assertFiniteNumber, assertInteger } = require('./validate');

/**
 * @template T
 * @typedef {{value: T, priority: number, order: number}} Entry
 */

/**
 * Pops the entry with the highest priority first; among equal priorities, the
 * one with the lowest `order` (by default, the one pushed first).
 * @template T
 */
class PriorityQueue {
  constructor() {
    /** @type {Entry<T>[]} */
    this._heap = [];
    this._pushed = 0;
  }

  /** Number of queued values. */
  get size() {
    return this._heap.length;
  }

  /** @returns {boolean} */
  isEmpty() {
    return this._heap.length === 0;
  }

  /**
   * @param {T} value
   * @param {number} [priority] higher pops first; defaults to 0
   * @param {number} [order] tie-break among equal priorities, lower pops
   *   first; defaults to the number of values pushed so far
   * @returns {this}
   */
  push(value, priority = 0, order = this._pushed) {
    assertFiniteNumber(priority, 'priority');
    assertInteger(order, 'order', { min: 0 });
    this._pushed += 1;
    this._heap.push({ value, priority, order });
    this._siftUp(this._heap.length - 1);
    return this;
  }

  /** @returns {T|undefined} the next value, without removing it */
  peek() {
    return this._heap.length > 0 ? this._heap[0].value : undefined;
  }

  /** @returns {T|undefined} the next value, removed from the queue */
  pop() {
    const heap = this._heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      this._siftDown(0);
    }
    return top.value;
  }

  /** Removes every value. */
  clear() {
    this._heap.length = 0;
  }

  /** @returns {T[]} every value in pop order; the queue is left empty */
  drain() {
    const out = [];
    while (this._heap.length > 0) out.push(this.pop());
    return out;
  }

  /**
   * @param {Entry<T>} a
   * @param {Entry<T>} b
   * @returns {boolean} whether `a` must pop before `b`
   */
  _before(a, b) {
    if (a.priority !== b.priority) return a.priority > b.priority;
    return a.order < b.order;
  }

  /** @param {number} index */
  _siftUp(index) {
    const heap = this._heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this._before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** @param {number} index */
  _siftDown(index) {
    const heap = this._heap;
    const n = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < n && this._before(heap[left], heap[best])) best = left;
      if (right < n && this._before(heap[right], heap[best])) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best], heap[i]];
      i = best;
    }
  }
}

module.exports = { PriorityQueue };
