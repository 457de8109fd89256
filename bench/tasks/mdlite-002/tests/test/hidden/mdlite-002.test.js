'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { render } = require('../../lib');

describe('code block languages', () => {
  it('adds a language class from the info string', () => {
    assert.equal(render('```js\nconst a = 1;\n```'), '<pre><code class="language-js">const a = 1;\n</code></pre>\n');
    assert.equal(render('```\nplain\n```'), '<pre><code>plain\n</code></pre>\n');
  });

  it('uses only the first word of the info string', () => {
    assert.equal(render('```python   title="app.py" linenos\nprint(1)\n```'),
      '<pre><code class="language-python">print(1)\n</code></pre>\n');
  });

  it('works with tilde fences and indented fences', () => {
    assert.equal(render('~~~ ruby\nputs 1\n~~~'), '<pre><code class="language-ruby">puts 1\n</code></pre>\n');
    assert.equal(render('  ```sh\n  ls\n  ```'), '<pre><code class="language-sh">ls\n</code></pre>\n');
  });

  it('escapes the language name', () => {
    assert.equal(render('```a"b<c>&\nx\n```'), '<pre><code class="language-a&quot;b&lt;c&gt;&amp;">x\n</code></pre>\n');
  });

  it('adds the class to code blocks inside lists and blockquotes', () => {
    assert.equal(render('> ```diff\n> +a\n> ```'),
      '<blockquote>\n<pre><code class="language-diff">+a\n</code></pre>\n</blockquote>\n');
    assert.equal(render('- step:\n  ```bash\n  make\n  ```'),
      '<ul>\n<li>step:\n<pre><code class="language-bash">make\n</code></pre>\n</li>\n</ul>\n');
  });
});
