'use strict';

/**
 * An intrusive doubly linked list that keeps cache entries in recency order:
 * the head is the most recently used entry, the tail the least recently used.
 * Nodes are the cache entries themselves (anything with `prev` and `next`), so
 * moving an entry is O(1) and allocates nothing.
 *
 * @module cachekit/list
 */

/**
 * @typedef {object} ListNode
 * @property {ListNode|null} prev - the next more recently used node
 * @property {ListNode|null} next - the next less recently used node
 */

class LinkedList {
  constructor() {
    /** @type {ListNode|null} */
    this.head = null;
    /** @type {ListNode|null} */
    this.tail = null;
    this.length = 0;
  }

  /**
   * Inserts a detached node as the most recently used.
   *
   * @template {ListNode} T
   * @param {T} node
   * @returns {T}
   */
  pushFront(node) {
    node.prev = null;
    node.next = this.head;
    if (this.head) this.head.prev = node;
    else this.tail = node;
    this.head = node;
    this.length += 1;
    return node;
  }

  /**
   * Detaches a node that is in this list.
   *
   * @template {ListNode} T
   * @param {T} node
   * @returns {T}
   */
  remove(node) {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = null;
    node.next = null;
    this.length -= 1;
    return node;
  }

  /**
   * Marks a node that is in this list as the most recently used.
   *
   * @template {ListNode} T
   * @param {T} node
   * @returns {T}
   */
  moveToFront(node) {
    if (node === this.head) return node;
    // Not the head, so it has a predecessor: unlink it from its neighbours.
    node.prev.next = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    // Relink it in front of the current head.
    node.prev = null;
    node.next = this.head;
    this.head.prev = node;
    this.head = node;
    return node;
  }

  /**
   * Detaches and returns the least recently used node, or null when empty.
   *
   * @returns {ListNode|null}
   */
  popBack() {
    return this.tail ? this.remove(this.tail) : null;
  }

  /** Forgets every node (the nodes themselves are left as they are). */
  clear() {
    this.head = null;
    this.tail = null;
    this.length = 0;
  }

  /**
   * Iterates from most to least recently used. Safe against removing the
   * node just yielded.
   *
   * @returns {Generator<ListNode>}
   */
  *fromFront() {
    let node = this.head;
    while (node) {
      const next = node.next;
      yield node;
      node = next;
    }
  }

  /**
   * Iterates from least to most recently used. Safe against removing the
   * node just yielded.
   *
   * @returns {Generator<ListNode>}
   */
  *fromBack() {
    let node = this.tail;
    while (node) {
      const prev = node.prev;
      yield node;
      node = prev;
    }
  }
}

module.exports = { LinkedList };
