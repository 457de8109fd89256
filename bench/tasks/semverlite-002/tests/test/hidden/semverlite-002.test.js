'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../../lib');

describe('minSatisfying', () => {
  it('returns the lowest version that satisfies the range', () => {
    const versions = ['1.4.0', '1.2.7', '2.0.0', '1.2.3', '0.9.0', '1.3.1'];
    assert.equal(semver.minSatisfying(versions, '^1.2.0'), '1.2.3');
    assert.equal(semver.minSatisfying(versions, '>1.2.3'), '1.2.7');
    assert.equal(semver.minSatisfying(versions, '~1.3 || >=2'), '1.3.1');
    assert.equal(semver.minSatisfying(versions, '*'), '0.9.0');
  });

  it('returns the element as it appears in the list', () => {
    assert.equal(semver.minSatisfying(['v1.0.1', 'v1.0.0', '=1.1.0'], '1.x'), 'v1.0.0');
    const low = new semver.SemVer('3.1.0');
    const high = new semver.SemVer('3.2.0');
    assert.equal(semver.minSatisfying([high, low], '^3.0.0'), low);
    assert.equal(semver.minSatisfying(['1.2.3+build.9', '1.2.4'], '1.2.x'), '1.2.3+build.9');
  });

  it('returns null when nothing satisfies the range or the range is invalid', () => {
    assert.equal(semver.minSatisfying(['1.2.3', '1.2.4'], '>=2.0.0'), null);
    assert.equal(semver.minSatisfying(['1.2.3', '1.2.4'], 'not a range'), null);
    assert.equal(semver.minSatisfying([], '*'), null);
  });

  it('skips invalid versions in the list', () => {
    assert.equal(semver.minSatisfying(['garbage', '1.2', '1.5.0', '1.4.0'], '^1.0.0'), '1.4.0');
  });

  it('follows the prerelease rules of the range and accepts Range objects', () => {
    const versions = ['1.2.3', '1.2.4-beta.1', '1.2.4', '1.3.0-rc.1', '1.2.3-alpha'];
    assert.equal(semver.minSatisfying(versions, '>1.2.3'), '1.2.4');
    assert.equal(semver.minSatisfying(versions, '>=1.2.4-beta.0'), '1.2.4-beta.1');
    assert.equal(semver.minSatisfying(versions, '>1.2.3', { includePrerelease: true }), '1.2.4-beta.1');
    assert.equal(semver.minSatisfying(versions, new semver.Range('~1.2.4')), '1.2.4');
    assert.equal(semver.maxSatisfying(versions, '~1.2.3'), '1.2.4');
  });
});
