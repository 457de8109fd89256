'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../lib');

describe('SemVer', () => {
  it('parses major, minor, patch, prerelease and build', () => {
    const v = new semver.SemVer('1.2.3-beta.4+sha.5114f85');
    assert.equal(v.major, 1);
    assert.equal(v.minor, 2);
    assert.equal(v.patch, 3);
    assert.deepEqual(v.prerelease, ['beta', 4]);
    assert.deepEqual(v.build, ['sha', '5114f85']);
    assert.equal(v.version, '1.2.3-beta.4');
    assert.equal(v.raw, '1.2.3-beta.4+sha.5114f85');
    assert.equal(String(v), '1.2.3-beta.4');
  });

  it('accepts a leading v and surrounding whitespace', () => {
    assert.equal(new semver.SemVer('  v10.0.1 ').version, '10.0.1');
  });

  it('rejects invalid versions with a TypeError', () => {
    for (const bad of ['1.2', '1.2.3.4', '01.2.3', '1.2.3-', '1.2.3-01', '1.2.3+', 'a.b.c', '']) {
      assert.throws(() => new semver.SemVer(bad), TypeError, bad);
    }
  });

  it('rejects non-strings and over-long input', () => {
    assert.throws(() => new semver.SemVer(123), /Must be a string/);
    assert.throws(() => new semver.SemVer(`1.2.3-${'a'.repeat(300)}`), /longer than 256/);
  });

  it('rejects components beyond MAX_SAFE_INTEGER', () => {
    assert.throws(() => new semver.SemVer('99999999999999999.0.0'), /larger than/);
  });

  it('returns the same instance when given a SemVer with the same options', () => {
    const v = new semver.SemVer('1.2.3');
    assert.equal(new semver.SemVer(v), v);
    assert.notEqual(new semver.SemVer(v, { includePrerelease: true }), v);
  });

  it('rejects options that are not objects', () => {
    assert.throws(() => new semver.SemVer('1.2.3', 'loose'), /options must be an object/);
  });
});

describe('parse, valid and clean', () => {
  it('parse returns null for invalid input instead of throwing', () => {
    assert.equal(semver.parse('not a version'), null);
    assert.equal(semver.parse(null), null);
    assert.equal(semver.parse('1.2.3').minor, 2);
  });

  it('valid normalises or returns null', () => {
    assert.equal(semver.valid('v1.2.3+build'), '1.2.3');
    assert.equal(semver.valid('1.2'), null);
  });

  it('clean strips = and v prefixes', () => {
    assert.equal(semver.clean('  =v1.2.3  '), '1.2.3');
    assert.equal(semver.clean('~1.2.3'), null);
    assert.equal(semver.clean(42), null);
  });

  it('major, minor, patch and prerelease', () => {
    assert.equal(semver.major('4.5.6'), 4);
    assert.equal(semver.minor('4.5.6'), 5);
    assert.equal(semver.patch('4.5.6'), 6);
    assert.deepEqual(semver.prerelease('1.0.0-rc.1'), ['rc', 1]);
    assert.equal(semver.prerelease('1.0.0'), null);
  });
});

describe('coerce', () => {
  it('pulls a version out of surrounding text', () => {
    assert.equal(semver.coerce('v2').version, '2.0.0');
    assert.equal(semver.coerce('release-1.4 final').version, '1.4.0');
    assert.equal(semver.coerce('1.2.3.4').version, '1.2.3');
    assert.equal(semver.coerce(7).version, '7.0.0');
  });

  it('returns null when there is no version', () => {
    assert.equal(semver.coerce('no digits here'), null);
    assert.equal(semver.coerce(undefined), null);
  });
});
