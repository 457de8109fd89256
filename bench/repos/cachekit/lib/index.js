'use strict';

/**
 * cachekit: in-memory LRU caches with TTL, size limits, eviction callbacks,
 * statistics and a memoize() helper.
 *
 * @module cachekit
 */

const { LRUCache } = require('./lru');
const { memoize } = require('./memoize');
const { createManualClock, systemClock } = require('./clock');
const { EvictionReason } = require('./constants');
const { defaultKeyResolver, stableStringify } = require('./keys');

module.exports = {
  LRUCache,
  memoize,
  createManualClock,
  systemClock,
  EvictionReason,
  defaultKeyResolver,
  stableStringify,
};
