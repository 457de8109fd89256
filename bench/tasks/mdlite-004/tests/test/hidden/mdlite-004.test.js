'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render } = require('../../lib');

const ids = (html) => [...html.matchAll(/<h\d id="([^"]*)"/g)].map((m) => m[1]);

describe('heading ids for headings with links', () => {
  it('come from the link text, not its destination', () => {
    assert.equal(render('## Install [mdlite](https://example.com/mdlite)', { headingIds: true }),
      '<h2 id="install-mdlite">Install <a href="https://example.com/mdlite">mdlite</a></h2>\n');
  });

  it('leave out link titles and keep formatting inside the link text', () => {
    assert.deepEqual(ids(render('# See [the *full* guide](/guide.md "Read this first") now', { headingIds: true })),
      ['see-the-full-guide-now']);
  });

  it('leave out reference labels', () => {
    assert.deepEqual(ids(render('## Read [the FAQ][faq]\n\n[faq]: /faq.html', { headingIds: true })),
      ['read-the-faq']);
  });

  it('count headings with the same visible text as duplicates', () => {
    const md = '## [API](api/v1.md)\n\n## [API](api/v2.md)\n\n## API';
    assert.deepEqual(ids(render(md, { headingIds: true })), ['api', 'api-1', 'api-2']);
  });
});
