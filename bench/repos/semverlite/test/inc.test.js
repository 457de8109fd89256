'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../lib');

describe('inc', () => {
  it('major, minor and patch', () => {
    assert.equal(semver.inc('1.2.3', 'major'), '2.0.0');
    assert.equal(semver.inc('1.2.3', 'minor'), '1.3.0');
    assert.equal(semver.inc('1.2.3', 'patch'), '1.2.4');
    assert.equal(semver.inc('1.2.3+build.7', 'patch'), '1.2.4');
  });

  it('releasing a prerelease drops the prerelease', () => {
    assert.equal(semver.inc('2.0.0-rc.1', 'major'), '2.0.0');
    assert.equal(semver.inc('2.1.0-rc.1', 'major'), '3.0.0');
    assert.equal(semver.inc('1.3.0-rc.1', 'minor'), '1.3.0');
    assert.equal(semver.inc('1.3.1-rc.1', 'minor'), '1.4.0');
    assert.equal(semver.inc('1.2.4-rc.1', 'patch'), '1.2.4');
  });

  it('pre* release types start a prerelease', () => {
    assert.equal(semver.inc('1.2.3', 'premajor'), '2.0.0-0');
    assert.equal(semver.inc('1.2.3', 'preminor', 'alpha'), '1.3.0-alpha.0');
    assert.equal(semver.inc('1.2.3', 'prepatch', 'rc'), '1.2.4-rc.0');
    assert.equal(semver.inc('1.2.3-beta.2', 'prepatch'), '1.2.4-0');
  });

  it('prerelease bumps the last numeric identifier', () => {
    assert.equal(semver.inc('1.2.3', 'prerelease'), '1.2.4-0');
    assert.equal(semver.inc('1.2.4-0', 'prerelease'), '1.2.4-1');
    assert.equal(semver.inc('1.2.4-beta.1.x', 'prerelease'), '1.2.4-beta.2.x');
    assert.equal(semver.inc('1.2.4-beta', 'prerelease'), '1.2.4-beta.0');
  });

  it('prerelease with an identifier switches or continues the named series', () => {
    assert.equal(semver.inc('1.2.3', 'prerelease', 'beta'), '1.2.4-beta.0');
    assert.equal(semver.inc('1.2.4-beta.0', 'prerelease', 'beta'), '1.2.4-beta.1');
    assert.equal(semver.inc('1.2.4-beta.7', 'prerelease', 'rc'), '1.2.4-rc.0');
    assert.equal(semver.inc('1.2.4-3', 'prerelease', 'rc'), '1.2.4-rc.0');
  });

  it('returns null for invalid versions and throws for unknown release types', () => {
    assert.equal(semver.inc('1.2', 'patch'), null);
    assert.equal(semver.inc(null, 'patch'), null);
    assert.throws(() => semver.inc('1.2.3', 'build'), /Invalid release type/);
    assert.throws(() => semver.inc('1.2.3', 'prerelease', 'be..ta'), /Invalid prerelease identifier/);
  });
});

describe('SemVer#inc', () => {
  it('increments in place and resets build metadata', () => {
    const v = new semver.SemVer('1.2.3-beta.1+exp.sha');
    const result = v.inc('prerelease');
    assert.equal(result, v);
    assert.equal(v.version, '1.2.3-beta.2');
    assert.deepEqual(v.build, []);
    assert.equal(v.raw, '1.2.3-beta.2');
  });
});
