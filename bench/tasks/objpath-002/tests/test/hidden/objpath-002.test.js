'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const op = require('../../lib');

describe('quoted keys containing the other quote character', () => {
  it('reads an apostrophe inside a double-quoted key', () => {
    const people = { names: { "O'Brien": { age: 41 } } };
    assert.deepEqual(op.parsePath('names["O\'Brien"].age'), ['names', "O'Brien", 'age']);
    assert.equal(op.get(people, 'names["O\'Brien"].age'), 41);
    assert.equal(op.has(people, `names["O'Brien"]`), true);
  });

  it('reads double quotes inside a single-quoted key', () => {
    assert.deepEqual(op.parsePath(`['say "hi"']`), ['say "hi"']);
    assert.deepEqual(op.parsePath(`a['"'].b`), ['a', '"', 'b']);
    const doc = {};
    op.set(doc, `labels['the "best" one']`, 1);
    assert.deepEqual(doc, { labels: { 'the "best" one': 1 } });
  });

  it('keeps escaped quotes working next to the other quote character', () => {
    assert.deepEqual(op.parsePath(`['it\\'s "fine"']`), [`it's "fine"`]);
    assert.deepEqual(op.parsePath(`["\\"'\\""]`), [`"'"`]);
  });

  it('round-trips keys with apostrophes through stringifyPath, flatten and unflatten', () => {
    const doc = { "O'Brien": { "rock'n'roll": [1, { "'": 'q' }] } };
    const flat = op.flatten(doc);
    assert.deepEqual(Object.keys(flat), [`["O'Brien"]["rock'n'roll"][0]`, `["O'Brien"]["rock'n'roll"][1]["'"]`]);
    assert.deepEqual(op.unflatten(flat), doc);
    const segments = ["it's", 0, `mixed '"`];
    assert.deepEqual(op.parsePath(op.stringifyPath(segments)), segments);
  });

  it('matches such keys in query patterns', () => {
    const doc = { teams: { "Rock'n'Roll": { lead: 'Ann' }, Jazz: { lead: 'Bo' } } };
    assert.deepEqual(op.queryValues(doc, `teams["Rock'n'Roll"].*`), ['Ann']);
    assert.deepEqual(op.query(doc, 'teams.*.lead').map((m) => m.path), [`teams["Rock'n'Roll"].lead`, 'teams.Jazz.lead']);
    assert.deepEqual(op.queryValues(doc, `teams["Rock'n'Roll"].lead`), ['Ann']);
  });

  it('still rejects a key that is never closed', () => {
    assert.throws(() => op.parsePath(`a["it's]`), /Unterminated quoted key/);
    assert.throws(() => op.parsePath(`a['say "hi]`), /Unterminated quoted key/);
  });
});
