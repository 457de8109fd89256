'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../lib');

describe('Range parsing', () => {
  it('normalises primitive comparators and whitespace', () => {
    assert.equal(semver.validRange('>=1.2.3   <2.0.0'), '>=1.2.3 <2.0.0');
    assert.equal(semver.validRange('>= 1.2.3 < 2.0.0'), '>=1.2.3 <2.0.0');
    assert.equal(semver.validRange('=1.2.3'), '1.2.3');
    assert.equal(semver.validRange('v1.2.3+build'), '1.2.3');
  });

  it('translates caret ranges', () => {
    assert.equal(semver.validRange('^1.2.3'), '>=1.2.3 <2.0.0-0');
    assert.equal(semver.validRange('^0.2.3'), '>=0.2.3 <0.3.0-0');
    assert.equal(semver.validRange('^0.0.3'), '>=0.0.3 <0.0.4-0');
    assert.equal(semver.validRange('^1.2'), '>=1.2.0 <2.0.0-0');
    assert.equal(semver.validRange('^0.x'), '>=0.0.0 <1.0.0-0');
    assert.equal(semver.validRange('^1.2.3-beta.2'), '>=1.2.3-beta.2 <2.0.0-0');
  });

  it('translates tilde ranges', () => {
    assert.equal(semver.validRange('~1.2.3'), '>=1.2.3 <1.3.0-0');
    assert.equal(semver.validRange('~1.2'), '>=1.2.0 <1.3.0-0');
    assert.equal(semver.validRange('~1'), '>=1.0.0 <2.0.0-0');
    assert.equal(semver.validRange('~>1.2.3'), '>=1.2.3 <1.3.0-0');
  });

  it('translates x-ranges', () => {
    assert.equal(semver.validRange('1.2.x'), '>=1.2.0 <1.3.0-0');
    assert.equal(semver.validRange('1.X'), '>=1.0.0 <2.0.0-0');
    assert.equal(semver.validRange('1'), '>=1.0.0 <2.0.0-0');
    assert.equal(semver.validRange('*'), '*');
    assert.equal(semver.validRange(''), '*');
    assert.equal(semver.validRange('>=1.2'), '>=1.2.0');
    assert.equal(semver.validRange('<1.2'), '<1.2.0-0');
  });

  it('translates hyphen ranges', () => {
    assert.equal(semver.validRange('1.2.3 - 2.3.4'), '>=1.2.3 <=2.3.4');
    assert.equal(semver.validRange('1.2 - 2.3.4'), '>=1.2.0 <=2.3.4');
    assert.equal(semver.validRange('1.2.3 - 2.3'), '>=1.2.3 <2.4.0-0');
    assert.equal(semver.validRange('1.2.3 - 2'), '>=1.2.3 <3.0.0-0');
  });

  it('keeps || alternatives', () => {
    assert.equal(semver.validRange('1.2.3 || ^2.0.0'), '1.2.3||>=2.0.0 <3.0.0-0');
    assert.equal(semver.validRange('1.2.3 || *'), '*');
  });

  it('rejects invalid ranges', () => {
    for (const bad of ['>=abc', '1.2.3.4', '=>1.2.3', '~1.2.3.4']) {
      assert.equal(semver.validRange(bad), null, bad);
      assert.throws(() => new semver.Range(bad), TypeError, bad);
    }
    assert.throws(() => new semver.Range(42), /Must be a string/);
  });
});

describe('satisfies', () => {
  it('caret, tilde and x-ranges', () => {
    assert.ok(semver.satisfies('1.9.9', '^1.2.3'));
    assert.ok(!semver.satisfies('2.0.0', '^1.2.3'));
    assert.ok(!semver.satisfies('0.3.0', '^0.2.3'));
    assert.ok(semver.satisfies('1.2.9', '~1.2.3'));
    assert.ok(!semver.satisfies('1.3.0', '~1.2.3'));
    assert.ok(semver.satisfies('1.2.7', '1.2.x'));
    assert.ok(semver.satisfies('5.0.0', '*'));
  });

  it('primitive comparators', () => {
    assert.ok(semver.satisfies('1.5.0', '>=1.2.3 <2.0.0'));
    assert.ok(!semver.satisfies('1.2.2', '>=1.2.3 <2.0.0'));
    assert.ok(semver.satisfies('1.2.3', '1.2.3'));
    assert.ok(semver.satisfies('1.2.0', '>=1.2'));
    assert.ok(!semver.satisfies('1.1.9', '>=1.2'));
    assert.ok(!semver.satisfies('1.2.0', '<1.2'));
    assert.ok(semver.satisfies('1.1.9', '<1.2'));
  });

  it('hyphen ranges are inclusive', () => {
    assert.ok(semver.satisfies('1.2.3', '1.2.3 - 2.3.4'));
    assert.ok(semver.satisfies('2.3.4', '1.2.3 - 2.3.4'));
    assert.ok(!semver.satisfies('2.3.5', '1.2.3 - 2.3.4'));
    assert.ok(semver.satisfies('2.3.9', '1.2.3 - 2.3'));
  });

  it('|| matches either side', () => {
    assert.ok(semver.satisfies('1.2.3', '1.2.3 || 2.x'));
    assert.ok(semver.satisfies('2.5.0', '1.2.3 || 2.x'));
    assert.ok(!semver.satisfies('3.0.0', '1.2.3 || 2.x'));
  });

  it('prereleases only match comparators on the same version tuple', () => {
    assert.ok(semver.satisfies('1.2.3-beta.4', '^1.2.3-beta.1'));
    assert.ok(!semver.satisfies('1.3.0-beta', '^1.2.3-beta.1'));
    assert.ok(!semver.satisfies('1.3.0-beta', '^1.2.0'));
    assert.ok(semver.satisfies('1.3.0-beta', '^1.2.0', { includePrerelease: true }));
    assert.ok(!semver.satisfies('2.0.0-beta', '^1.2.0', { includePrerelease: true }));
  });

  it('invalid versions and ranges satisfy nothing', () => {
    assert.equal(semver.satisfies('1.2', '*'), false);
    assert.equal(semver.satisfies('1.2.3', 'not a range'), false);
    assert.equal(new semver.Range('^1.0.0').test(''), false);
  });

  it('accepts Range and SemVer instances', () => {
    const range = new semver.Range('~2.1');
    assert.ok(semver.satisfies(new semver.SemVer('2.1.5'), range));
    assert.equal(new semver.Range(range), range);
  });
});

describe('Comparator', () => {
  it('parses an operator and a version', () => {
    const c = new semver.Comparator('>= 1.2.3');
    assert.equal(c.operator, '>=');
    assert.equal(c.semver.version, '1.2.3');
    assert.equal(String(c), '>=1.2.3');
    assert.ok(c.test('1.2.3'));
    assert.ok(!c.test('1.2.2'));
  });

  it('the empty comparator matches anything', () => {
    const c = new semver.Comparator('');
    assert.equal(c.semver, semver.Comparator.ANY);
    assert.ok(c.test('0.0.1'));
  });

  it('rejects partial versions, which only ranges accept', () => {
    assert.throws(() => new semver.Comparator('>=1.2'), /Invalid comparator/);
  });
});

describe('maxSatisfying and minSatisfying', () => {
  const versions = ['1.2.3', '1.2.4', '1.3.0', '2.0.0-beta.1', '2.0.0', 'garbage'];

  it('maxSatisfying returns the highest match as given', () => {
    assert.equal(semver.maxSatisfying(versions, '^1.2.0'), '1.3.0');
    assert.equal(semver.maxSatisfying(versions, '~1.2.0'), '1.2.4');
    assert.equal(semver.maxSatisfying(versions, '>=2.0.0-beta.1'), '2.0.0');
    assert.equal(semver.maxSatisfying(['v1.0.0', '1.0.1'], '1.x'), '1.0.1');
  });

  it('maxSatisfying returns null when nothing matches or the range is invalid', () => {
    assert.equal(semver.maxSatisfying(versions, '^3.0.0'), null);
    assert.equal(semver.maxSatisfying(versions, 'nope'), null);
    assert.equal(semver.maxSatisfying([], '*'), null);
  });

  it('minSatisfying returns the lowest match as given', () => {
    assert.equal(semver.minSatisfying(versions, '^1.2.0'), '1.2.3');
    assert.equal(semver.minSatisfying(versions, '>1.2.3'), '1.2.4');
    assert.equal(semver.minSatisfying(versions, '>=2.0.0-beta.1'), '2.0.0-beta.1');
    assert.equal(semver.minSatisfying(versions, '^3.0.0'), null);
  });
});
