'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../lib');

describe('compare', () => {
  it('orders by major, then minor, then patch, numerically', () => {
    assert.equal(semver.compare('1.10.0', '1.9.0'), 1);
    assert.equal(semver.compare('2.0.0', '10.0.0'), -1);
    assert.equal(semver.compare('1.2.3', '1.2.3'), 0);
    assert.equal(semver.rcompare('1.2.3', '1.2.4'), 1);
  });

  it('puts a prerelease before its release', () => {
    assert.equal(semver.compare('1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(semver.compare('1.0.0', '1.0.0-rc.1'), 1);
    assert.equal(semver.compare('1.0.0-rc.1', '0.9.9'), 1);
  });

  it('compares prerelease identifiers numerically or in ASCII order', () => {
    assert.equal(semver.compare('1.0.0-beta.2', '1.0.0-beta.11'), -1);
    assert.equal(semver.compare('1.0.0-alpha.beta', '1.0.0-beta'), -1);
    assert.equal(semver.compare('1.0.0-rc.1', '1.0.0-beta.9'), 1);
    assert.equal(semver.compare('1.0.0-1', '1.0.0-alpha'), -1);
  });

  it('ignores build metadata', () => {
    assert.equal(semver.compare('1.0.0+build.1', '1.0.0+build.2'), 0);
    assert.ok(semver.eq('1.0.0+a', '1.0.0+b'));
  });

  it('compareBuild breaks ties with build metadata', () => {
    assert.equal(semver.compareBuild('1.0.0+build.2', '1.0.0+build.10'), -1);
    assert.equal(semver.compareBuild('1.0.0+b', '1.0.0+a'), 1);
    assert.equal(semver.compareBuild('1.0.1+a', '1.0.0+b'), 1);
  });

  it('throws on invalid versions', () => {
    assert.throws(() => semver.compare('1.2', '1.2.0'), TypeError);
  });
});

describe('operators', () => {
  it('gt, gte, lt, lte, eq, neq', () => {
    assert.ok(semver.gt('1.2.4', '1.2.3'));
    assert.ok(semver.gte('1.2.3', '1.2.3'));
    assert.ok(semver.lt('1.2.3-alpha', '1.2.3'));
    assert.ok(semver.lte('1.2.3', '1.2.3'));
    assert.ok(semver.eq('v1.2.3', '1.2.3'));
    assert.ok(semver.neq('1.2.3', '1.2.4'));
  });

  it('cmp dispatches on the operator string', () => {
    assert.ok(semver.cmp('1.2.3', '>', '1.2.2'));
    assert.ok(semver.cmp('1.2.3', '', '1.2.3'));
    assert.ok(semver.cmp('1.2.3', '==', 'v1.2.3'));
    assert.ok(!semver.cmp('1.2.3', '===', 'v1.2.3'));
    assert.ok(semver.cmp('1.2.3', '!=', '1.2.4'));
    assert.throws(() => semver.cmp('1.2.3', '=>', '1.2.3'), /Invalid operator/);
  });
});

describe('sort', () => {
  it('sorts ascending and descending without modifying the input', () => {
    const list = ['1.10.0', '1.2.0', '1.2.0-rc.2', '0.9.9', '1.2.0-rc.10'];
    assert.deepEqual(semver.sort(list), ['0.9.9', '1.2.0-rc.2', '1.2.0-rc.10', '1.2.0', '1.10.0']);
    assert.deepEqual(semver.rsort(list), ['1.10.0', '1.2.0', '1.2.0-rc.10', '1.2.0-rc.2', '0.9.9']);
    assert.deepEqual(list, ['1.10.0', '1.2.0', '1.2.0-rc.2', '0.9.9', '1.2.0-rc.10']);
  });

  it('rejects non-arrays', () => {
    assert.throws(() => semver.sort('1.2.3'), TypeError);
  });
});

describe('identifiers', () => {
  it('compareIdentifiers puts numbers first and compares them numerically', () => {
    assert.equal(semver.compareIdentifiers('2', '10'), -1);
    assert.equal(semver.compareIdentifiers(5, 'alpha'), -1);
    assert.equal(semver.compareIdentifiers('beta', 'alpha'), 1);
    assert.equal(semver.compareIdentifiers('x', 'x'), 0);
    assert.equal(semver.rcompareIdentifiers('2', '10'), 1);
  });
});

describe('diff', () => {
  it('names the most significant change', () => {
    assert.equal(semver.diff('1.2.3', '2.0.0'), 'major');
    assert.equal(semver.diff('1.2.3', '1.3.0'), 'minor');
    assert.equal(semver.diff('1.2.3', '1.2.4'), 'patch');
    assert.equal(semver.diff('1.2.3', '1.2.3+build'), null);
  });

  it('handles prereleases', () => {
    assert.equal(semver.diff('1.2.3', '2.0.0-beta.1'), 'premajor');
    assert.equal(semver.diff('1.2.3', '1.2.4-0'), 'prepatch');
    assert.equal(semver.diff('1.2.3-beta.1', '1.2.3-beta.2'), 'prerelease');
    assert.equal(semver.diff('1.0.0-1', '1.0.0'), 'major');
    assert.equal(semver.diff('1.1.0-1', '1.1.0'), 'minor');
    assert.equal(semver.diff('1.1.1-1', '1.1.1'), 'patch');
  });
});
