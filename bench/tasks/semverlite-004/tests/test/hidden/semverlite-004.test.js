'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const semver = require('../../lib');

describe('comparison operators with partial versions', () => {
  it('<= a partial version includes every version it covers', () => {
    for (const v of ['1.2.0', '1.2.5', '1.2.99', '1.1.0', '0.9.9']) {
      assert.ok(semver.satisfies(v, '<=1.2'), `${v} <=1.2`);
      assert.ok(semver.satisfies(v, '<=1.2.x'), `${v} <=1.2.x`);
    }
    for (const v of ['1.3.0', '2.0.0', '1.3.0-beta.1']) {
      assert.ok(!semver.satisfies(v, '<=1.2'), `${v} <=1.2`);
    }
  });

  it('> a partial version excludes every version it covers', () => {
    for (const v of ['1.2.0', '1.2.5', '1.2.99', '1.0.0']) {
      assert.ok(!semver.satisfies(v, '>1.2'), `${v} >1.2`);
      assert.ok(!semver.satisfies(v, '>1.2.*'), `${v} >1.2.*`);
    }
    for (const v of ['1.3.0', '1.10.1', '2.0.0']) {
      assert.ok(semver.satisfies(v, '>1.2'), `${v} >1.2`);
    }
  });

  it('works with only a major version', () => {
    assert.ok(!semver.satisfies('1.9.9', '>1'));
    assert.ok(!semver.satisfies('1.0.0', '> 1.x'));
    assert.ok(semver.satisfies('2.0.0', '>1'));
    assert.ok(semver.satisfies('1.9.9', '<=1'));
    assert.ok(semver.satisfies('1.0.0', '<=1.X'));
    assert.ok(!semver.satisfies('2.0.0', '<=1'));
    assert.ok(semver.satisfies('0.5.0', '<=0'));
    assert.ok(!semver.satisfies('0.0.5', '>0'));
  });

  it('combines with other comparators and || alternatives', () => {
    const range = '>1.2 <=1.4';
    assert.ok(!semver.satisfies('1.2.9', range));
    assert.ok(semver.satisfies('1.3.0', range));
    assert.ok(semver.satisfies('1.4.7', range));
    assert.ok(!semver.satisfies('1.5.0', range));
    assert.equal(semver.maxSatisfying(['1.2.9', '1.3.0', '1.4.7', '1.5.0'], range), '1.4.7');
    assert.ok(semver.satisfies('0.1.4', '<=0.1 || >3'));
    assert.ok(!semver.satisfies('3.4.0', '<=0.1 || >3'));
    assert.ok(semver.satisfies('4.0.0', '<=0.1 || >3'));
    // The other operators and full versions keep their meaning.
    assert.ok(semver.satisfies('1.2.0', '>=1.2') && !semver.satisfies('1.1.9', '>=1.2'));
    assert.ok(!semver.satisfies('1.2.0', '<1.2') && semver.satisfies('1.1.9', '<1.2'));
    assert.ok(semver.satisfies('1.2.4', '>1.2.3') && !semver.satisfies('1.2.3', '>1.2.3'));
    assert.ok(semver.satisfies('1.2.3', '<=1.2.3') && !semver.satisfies('1.2.4', '<=1.2.3'));
  });
});
