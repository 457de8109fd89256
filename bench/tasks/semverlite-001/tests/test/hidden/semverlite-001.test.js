'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../../lib');

describe('prerelease precedence with extra identifiers', () => {
  it('a shorter prerelease sorts before a longer one that extends it', () => {
    assert.equal(semver.compare('1.0.0-alpha', '1.0.0-alpha.1'), -1);
    assert.equal(semver.compare('1.0.0-alpha.1', '1.0.0-alpha'), 1);
    assert.equal(semver.compare('2.1.0-rc.1', '2.1.0-rc.1.1'), -1);
    assert.ok(!semver.eq('1.0.0-alpha', '1.0.0-alpha.1'));
    assert.ok(semver.gt('1.0.0-beta.2.0', '1.0.0-beta.2'));
    assert.ok(semver.lt('3.0.0-0', '3.0.0-0.0'));
  });

  it('sorts the semver.org precedence example', () => {
    const expected = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    const shuffled = [
      '1.0.0-beta.11',
      '1.0.0-alpha.1',
      '1.0.0',
      '1.0.0-beta',
      '1.0.0-rc.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-alpha',
    ];
    assert.deepEqual(semver.sort(shuffled), expected);
    assert.deepEqual(semver.sort([...shuffled].reverse()), expected);
    assert.deepEqual(semver.rsort(shuffled), [...expected].reverse());
  });

  it('compareBuild orders build metadata that extends another', () => {
    assert.equal(semver.compareBuild('1.0.0', '1.0.0+build'), -1);
    assert.equal(semver.compareBuild('1.0.0+exp', '1.0.0+exp.1'), -1);
    assert.equal(semver.compareBuild('1.0.0+exp.1', '1.0.0+exp'), 1);
    assert.deepEqual(
      semver.sort(['1.0.0+exp.sha', '1.0.0+exp', '1.0.0']),
      ['1.0.0', '1.0.0+exp', '1.0.0+exp.sha'],
    );
  });

  it('ranges and diff see the longer prerelease as newer', () => {
    assert.ok(semver.satisfies('1.0.0-alpha', '<1.0.0-alpha.1'));
    assert.ok(semver.satisfies('1.0.0-alpha.1', '>1.0.0-alpha'));
    assert.equal(semver.maxSatisfying(['1.0.0-rc.1', '1.0.0-rc.1.1', '1.0.0-rc'], '>=1.0.0-rc'), '1.0.0-rc.1.1');
    assert.equal(semver.diff('1.0.0-alpha', '1.0.0-alpha.1'), 'prerelease');
  });
});
