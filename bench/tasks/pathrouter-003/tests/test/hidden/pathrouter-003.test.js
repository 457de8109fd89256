'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, normalizePath } = require('../../lib');

function router() {
  return new Router()
    .get('/files/:name', 'file')
    .get('/files/:dir/:name', 'fileInDir')
    .get('/tags/:tag', 'tag')
    .get('/static/*path', 'static')
    .get('/admin', 'admin');
}

describe('percent-encoded characters in parameters', () => {
  it('keeps an encoded slash inside one parameter', () => {
    const r = router().match('GET', '/files/reports%2F2024.pdf');
    assert.equal(r.status, 200);
    assert.equal(r.handler, 'file');
    assert.deepEqual(r.params, { name: 'reports/2024.pdf' });
    assert.equal(r.path, '/files/reports%2F2024.pdf');
  });

  it('decodes an encoded percent sign exactly once', () => {
    assert.deepEqual(router().match('GET', '/tags/100%25').params, { tag: '100%' });
    assert.deepEqual(router().match('GET', '/tags/%2541').params, { tag: '%41' });
    assert.deepEqual(router().match('GET', '/tags/50%25%20off').params, { tag: '50% off' });
  });

  it('never lets encoded slashes and dots escape a wildcard', () => {
    const r = router().match('GET', '/static/..%2Fadmin');
    assert.equal(r.handler, 'static');
    assert.deepEqual(r.params, { path: '../admin' });
    assert.equal(router().match('GET', '/static/css/..%2F..%2Fadmin').handler, 'static');
  });

  it('leaves reserved characters encoded when normalising a path', () => {
    assert.equal(normalizePath('/a%2Fb/c'), '/a%2Fb/c');
    assert.equal(normalizePath('/x/%252F/%3f'), '/x/%252F/%3F');
    assert.equal(normalizePath('/a%2F..%2Fb/../c'), '/c');
    assert.equal(normalizePath('/%7Euser/caf%C3%A9'), '/~user/caf%C3%A9');
  });
});
