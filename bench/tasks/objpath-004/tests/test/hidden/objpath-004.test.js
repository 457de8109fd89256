'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const op = require('../../lib');

function team() {
  return {
    users: [
      { name: 'Ada', age: 36, id: 'u1' },
      { name: 'Bob', id: 'u2' },
      { name: 'Cy', age: 29, id: 'u3' },
    ],
    settings: { theme: 'dark', lang: 'en', 'x.y': 1, 'odd key': 2 },
  };
}

describe('union selectors in query patterns', () => {
  it('select several indices, in the order written', () => {
    const matches = op.query(team(), 'users[2,0].name');
    assert.deepEqual(matches.map((m) => m.path), ['users[2].name', 'users[0].name']);
    assert.deepEqual(matches.map((m) => m.value), ['Cy', 'Ada']);
    assert.deepEqual(matches[0].segments, ['users', 2, 'name']);
  });

  it('select several quoted keys, with either quote and spaces, skipping missing ones', () => {
    assert.deepEqual(op.queryValues(team(), `settings["lang", 'theme',"missing"]`), ['en', 'dark']);
    assert.deepEqual(op.queryValues(team(), 'settings[ "theme" , "lang" ]'), ['dark', 'en']);
    assert.deepEqual(op.queryValues(team(), 'users[1,7].name'), ['Bob']);
    assert.deepEqual(op.query(team(), 'settings["nope","nada"]'), []);
  });

  it('members behave like the same selector on its own', () => {
    assert.deepEqual(op.queryValues(team(), 'users[0,-1].id'), ['u1', 'u3']);
    assert.deepEqual(op.query(team(), 'users[-1,0]').map((m) => m.path), ['users[2]', 'users[0]']);
    assert.deepEqual(op.query(team(), 'settings["x.y","odd key"]').map((m) => [m.path, m.value]), [
      ['settings["x.y"]', 1],
      ['settings["odd key"]', 2],
    ]);
  });

  it('combine with * and **', () => {
    assert.deepEqual(op.queryValues(team(), 'users[*]["age","name"]'), [36, 'Ada', 'Bob', 29, 'Cy']);
    assert.deepEqual(op.queryValues(team(), 'users.*["id"]'), ['u1', 'u2', 'u3']);
    const doc = { a: { id: 1, ref: 'r', b: { id: 2 } } };
    assert.deepEqual(op.query(doc, '**["ref","id"]').map((m) => m.path), ['a.ref', 'a.id', 'a.b.id']);
    assert.deepEqual(op.queryValues(team(), 'users[0,2].*').length, 6);
  });

  it('report each concrete path once', () => {
    assert.deepEqual(op.query(team(), 'users[0,0,-3].id').map((m) => m.path), ['users[0].id']);
    assert.deepEqual(op.queryValues(team(), 'settings["lang","lang"]'), ['en']);
  });

  it('stay a query-only syntax', () => {
    assert.deepEqual(op.queryValues(team(), 'users[0,1].id'), ['u1', 'u2']);
    assert.throws(() => op.get(team(), 'users[0,1].id'), op.PathError);
    assert.throws(() => op.set(team(), 'settings["a","b"]', 1), op.PathError);
    assert.throws(() => op.parsePath('users[0,1]'), op.PathError);
  });
});
