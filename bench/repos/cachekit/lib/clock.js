'use strict';

/**
 * Clocks. A cache never reads the time itself: it asks its clock, an object
 * with a `now()` method returning milliseconds. The default reads `Date.now()`;
 * tests (and simulations) use a manual clock that only moves when told to.
 *
 * @module cachekit/clock
 */

const { PREFIX, describeValue, assertNonNegativeNumber } = require('./validate');

/**
 * @typedef {object} Clock
 * @property {() => number} now - the current time in milliseconds
 */

/** The wall clock, used when no clock is given. @type {Readonly<Clock>} */
const systemClock = Object.freeze({ now: () => Date.now() });

/**
 * Creates a clock that stands still until advanced.
 *
 * @param {number} [start=0] - the initial time in milliseconds
 * @returns {{ now(): number, advance(ms: number): number, set(time: number): number }}
 */
function createManualClock(start = 0) {
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    throw new TypeError(`${PREFIX}start must be a finite number, got ${describeValue(start)}`);
  }
  let time = start;
  return {
    now() {
      return time;
    },
    advance(ms) {
      time += assertNonNegativeNumber(ms, 'ms');
      return time;
    },
    set(newTime) {
      if (typeof newTime !== 'number' || !Number.isFinite(newTime)) {
        throw new TypeError(`${PREFIX}time must be a finite number, got ${describeValue(newTime)}`);
      }
      if (newTime < time) throw new RangeError(`${PREFIX}a manual clock cannot go backwards (from ${time} to ${newTime})`);
      time = newTime;
      return time;
    },
  };
}

/**
 * Validates a user-supplied clock, defaulting to the system clock.
 *
 * @param {unknown} clock
 * @returns {Clock}
 */
function resolveClock(clock) {
  if (clock === undefined) return systemClock;
  if (clock === null || typeof clock !== 'object' || typeof clock.now !== 'function') {
    throw new TypeError(`${PREFIX}clock must be an object with a now() method, got ${describeValue(clock)}`);
  }
  return clock;
}

/**
 * Reads a clock, checking that it returned a usable time.
 *
 * @param {Clock} clock
 * @returns {number}
 */
function readClock(clock) {
  const time = clock.now();
  if (typeof time !== 'number' || Number.isNaN(time)) {
    throw new TypeError(`${PREFIX}clock.now() must return a number, got ${describeValue(time)}`);
  }
  return time;
}

module.exports = { systemClock, createManualClock, resolveClock, readClock };
