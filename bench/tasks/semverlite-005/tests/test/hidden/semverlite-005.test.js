'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../../lib');

describe('hyphen ranges', () => {
  it('are inclusive at both ends', () => {
    const range = '1.2.3 - 2.3.4';
    for (const v of ['1.2.3', '1.9.0', '2.0.0', '2.3.4']) assert.ok(semver.satisfies(v, range), v);
    for (const v of ['1.2.2', '2.3.5', '3.0.0', '0.1.0']) assert.ok(!semver.satisfies(v, range), v);
    assert.notEqual(semver.validRange(range), null);
    assert.doesNotThrow(() => new semver.Range(range));
    assert.ok(semver.satisfies('1.5.0', '  1.2.3   -   v2.3.4 '));
  });

  it('fill a partial lower bound with zeros', () => {
    assert.ok(semver.satisfies('1.2.0', '1.2 - 2.3.4'));
    assert.ok(!semver.satisfies('1.1.9', '1.2 - 2.3.4'));
    assert.ok(semver.satisfies('1.0.0', '1 - 2.3.4'));
    assert.ok(!semver.satisfies('0.9.9', '1.x - 2.3.4'));
    assert.ok(semver.satisfies('0.0.1', '* - 2.3.4'));
    assert.ok(!semver.satisfies('2.3.5', '* - 2.3.4'));
  });

  it('include all of a partial upper bound', () => {
    assert.ok(semver.satisfies('2.3.0', '1.2.3 - 2.3'));
    assert.ok(semver.satisfies('2.3.99', '1.2.3 - 2.3'));
    assert.ok(!semver.satisfies('2.4.0', '1.2.3 - 2.3'));
    assert.ok(semver.satisfies('2.99.0', '1.2.3 - 2'));
    assert.ok(!semver.satisfies('3.0.0', '1.2.3 - 2'));
    assert.ok(!semver.satisfies('3.0.0-0', '1.2.3 - 2', { includePrerelease: true }));
    assert.ok(semver.satisfies('2.9.0', '1.x - 2.x'));
    assert.ok(semver.satisfies('9.0.0', '1.2.3 - *'));
  });

  it('work inside || alternatives and with the set functions', () => {
    const range = '1.0.0 - 1.2.0 || >=3.0.0';
    assert.ok(semver.satisfies('1.1.0', range));
    assert.ok(!semver.satisfies('2.0.0', range));
    assert.ok(semver.satisfies('3.1.0', range));
    assert.ok(semver.satisfies('0.5.0', '^2.0.0 || 0.1 - 0.5'));
    const versions = ['0.9.0', '1.0.0', '1.4.2', '1.5.0', '2.0.0'];
    assert.equal(semver.maxSatisfying(versions, '1 - 1.4'), '1.4.2');
    assert.equal(semver.minSatisfying(versions, '1.0.1 - 2'), '1.4.2');
  });

  it('follow the prerelease rules at their bounds', () => {
    const range = '1.2.3-beta.1 - 1.2.3';
    assert.ok(semver.satisfies('1.2.3-beta.1', range));
    assert.ok(semver.satisfies('1.2.3-beta.7', range));
    assert.ok(semver.satisfies('1.2.3', range));
    assert.ok(!semver.satisfies('1.2.3-alpha', range));
    assert.ok(semver.satisfies('2.0.0-rc.2', '1.0.0 - 2.0.0-rc.5'));
    assert.ok(!semver.satisfies('2.0.0-beta', '1.0.0 - 2.0.0'));
    // a prerelease is not a hyphen range
    assert.ok(semver.satisfies('1.2.3-beta', '1.2.3-beta'));
    assert.ok(!semver.satisfies('1.2.3', '1.2.3-beta'));
  });
});
