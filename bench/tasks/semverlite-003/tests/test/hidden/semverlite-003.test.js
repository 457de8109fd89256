'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../../lib');

describe('inc on parsed versions', () => {
  it('leaves a parsed version unchanged', () => {
    const v = semver.parse('1.2.3');
    assert.equal(semver.inc(v, 'minor'), '1.3.0');
    assert.equal(v.version, '1.2.3');
    assert.equal(v.raw, '1.2.3');
    assert.equal(v.minor, 2);
    assert.equal(v.patch, 3);
    assert.equal(String(v), '1.2.3');
  });

  it('gives the same answer every time for the same version', () => {
    const v = new semver.SemVer('2.0.9');
    assert.equal(semver.inc(v, 'patch'), '2.0.10');
    assert.equal(semver.inc(v, 'patch'), '2.0.10');
    assert.equal(semver.inc(v, 'major'), '3.0.0');
    assert.equal(semver.inc(v, 'preminor', 'beta'), '2.1.0-beta.0');
    assert.equal(v.version, '2.0.9');
  });

  it('does not touch the prerelease identifiers of the original', () => {
    const v = semver.parse('1.2.3-beta.1');
    const before = v.prerelease;
    assert.equal(semver.inc(v, 'prerelease'), '1.2.3-beta.2');
    assert.equal(semver.inc(v, 'prerelease'), '1.2.3-beta.2');
    assert.equal(v.prerelease, before);
    assert.deepEqual(v.prerelease, ['beta', 1]);
    assert.equal(v.version, '1.2.3-beta.1');
    assert.equal(semver.inc(v, 'patch'), '1.2.3');
    assert.deepEqual(v.prerelease, ['beta', 1]);
  });

  it('keeps the build metadata of the original', () => {
    const v = new semver.SemVer('4.5.6-rc.0+build.77');
    assert.equal(semver.inc(v, 'major'), '5.0.0');
    assert.deepEqual(v.build, ['build', '77']);
    assert.equal(v.raw, '4.5.6-rc.0+build.77');
    assert.equal(v.compare('4.5.6-rc.0'), 0);
  });

  it('does not change versions held in a list or matched by a range', () => {
    const list = ['1.0.0', '1.1.0', '1.2.0'].map((s) => new semver.SemVer(s));
    const best = semver.maxSatisfying(list, '^1.0.0');
    assert.equal(semver.inc(best, 'minor'), '1.3.0');
    assert.deepEqual(list.map(String), ['1.0.0', '1.1.0', '1.2.0']);
    assert.ok(semver.satisfies(best, '1.2.x'));
    assert.equal(semver.inc('1.2.3', 'minor'), '1.3.0');
  });
});
