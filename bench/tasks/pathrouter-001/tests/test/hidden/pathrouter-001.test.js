'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Router, parseQuery, buildQuery } = require('../../lib');

const plain = (obj) => ({ ...obj });

describe('query values containing "="', () => {
  it('keeps base64 padding in a value', () => {
    assert.deepEqual(plain(parseQuery('token=YWJjZA==&user=ada')), { token: 'YWJjZA==', user: 'ada' });
  });

  it('keeps every "=" after the first in the value', () => {
    assert.deepEqual(plain(parseQuery('?filter=a=1=2&lead==x&trail=y=')), { filter: 'a=1=2', lead: '=x', trail: 'y=' });
  });

  it('keeps "=" in repeated keys and key[] arrays', () => {
    assert.deepEqual(plain(parseQuery('f=x=1&f=y=2&g[]=k=v')), { f: ['x=1', 'y=2'], g: ['k=v'] });
  });

  it('reaches router.match results', () => {
    const router = new Router().get('/verify', 'verify');
    const r = router.match('GET', '/verify?sig=abc%3D%3D&next=/home?tab=a=b');
    assert.equal(r.status, 200);
    assert.deepEqual(plain(r.query), { sig: 'abc==', next: '/home?tab=a=b' });
  });

  it('round-trips values containing "=" through buildQuery', () => {
    const input = { expr: '1+1=2', raw: 'a=b=c' };
    const built = buildQuery(input);
    assert.deepEqual(plain(parseQuery(built)), input);
    assert.deepEqual(plain(parseQuery(built.replace(/%3D/g, '='))), input);
  });
});
