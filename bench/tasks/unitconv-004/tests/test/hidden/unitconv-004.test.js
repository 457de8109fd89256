'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const uc = require('../../lib');

const plain = (q) => ({ value: q.value, unit: q.unit });

describe('compound quantities', () => {
  it('parses hours and minutes into minutes', () => {
    assert.deepEqual(plain(uc.parse('1 h 30 min')), { value: 90, unit: 'min' });
    assert.equal(uc.parse('2 h 15 min').to('h').value, 2.25);
    assert.equal(uc.q('2 h').add('1 h 30 min').value, 3.5);
  });

  it('parses feet and inches and other dimensions', () => {
    assert.deepEqual(plain(uc.parse('5 ft 3 in')), { value: 63, unit: 'in' });
    assert.deepEqual(plain(uc.parse('6 ft 0 in')), { value: 72, unit: 'in' });
    assert.deepEqual(plain(uc.parse('1 GiB 512 MiB')), { value: 1536, unit: 'MiB' });
    assert.deepEqual(plain(uc.parse('3 kg 250 g')), { value: 3250, unit: 'g' });
  });

  it('accepts more than two parts, no spaces and long unit names', () => {
    assert.deepEqual(plain(uc.parse('1h30min')), { value: 90, unit: 'min' });
    assert.deepEqual(plain(uc.parse('2 hours 30 minutes')), { value: 150, unit: 'min' });
    assert.deepEqual(plain(uc.parse('1 d 2 h 3 min 4 s')), { value: 93784, unit: 's' });
    assert.deepEqual(plain(uc.parse('  1 h   30 min  ')), { value: 90, unit: 'min' });
  });

  it('applies a leading sign to the whole quantity', () => {
    assert.deepEqual(plain(uc.parse('-1 h 30 min')), { value: -90, unit: 'min' });
    assert.deepEqual(plain(uc.parse('+1 h 30 min')), { value: 90, unit: 'min' });
    assert.deepEqual(plain(uc.parse('-5 ft 6 in')), { value: -66, unit: 'in' });
  });

  it('rejects mixed dimensions, parts out of order and misplaced signs', () => {
    assert.throws(() => uc.parse('1 h 30 m'), uc.DimensionError);
    assert.throws(() => uc.parse('30 min 1 h'), uc.ParseError);
    assert.throws(() => uc.parse('1 h 1 h'), uc.ParseError);
    assert.throws(() => uc.parse('1 h -30 min'), uc.ParseError);
    assert.throws(() => uc.parse('1 h 30'), uc.ParseError);
    assert.throws(() => uc.parse('1 h 30 parsecs'), uc.UnknownUnitError);
  });
});
