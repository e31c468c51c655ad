// The Inspector's Markdown: what the model writes is rendered, never run — raw HTML comes out as
// text, unsafe link targets are dropped, images become links, fenced code is highlighted.
import { describe, expect, it } from 'vitest';
import { isSafeHref, renderMarkdown } from '../../../clients/web/src/items/markdown.js';
import { highlightCode, languageOf } from '../../../clients/web/src/items/highlight.js';

describe('renderMarkdown', () => {
  it('renders headings, lists and inline code', () => {
    expect(renderMarkdown('# Title\n\n- one\n- `two`\n')).toBe('<h1>Title</h1>\n<ul>\n<li>one</li>\n<li><code>two</code></li>\n</ul>\n');
  });

  it('escapes raw HTML, block and inline', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderMarkdown('see <img src=x onerror="alert(1)"> here')).toBe('<p>see &lt;img src=x onerror=&quot;alert(1)&quot;&gt; here</p>\n');
  });

  it('keeps http(s), mailto and in-page links and drops the others to their text', () => {
    expect(renderMarkdown('[a](https://example.com "T")')).toBe('<p><a href="https://example.com" title="T" rel="noopener noreferrer" target="_blank">a</a></p>\n');
    expect(renderMarkdown('[a](javascript:alert(1))')).toBe('<p>a</p>\n');
    expect(renderMarkdown('[a](data:text/html,x)')).toBe('<p>a</p>\n');
  });

  it('turns images into links, so the page loads nothing the model names', () => {
    expect(renderMarkdown('![cat](https://example.com/cat.png)')).toBe('<p><a href="https://example.com/cat.png" rel="noopener noreferrer" target="_blank">[image: cat]</a></p>\n');
    expect(renderMarkdown('![x](javascript:alert(1))')).toBe('<p>[image: x]</p>\n');
  });

  it('shows task lists as marks, not checkboxes', () => {
    expect(renderMarkdown('- [x] done\n- [ ] next\n')).toBe(
      '<ul>\n<li><span class="task-mark" role="img" aria-label="done">☑</span> done</li>\n<li><span class="task-mark" role="img" aria-label="to do">☐</span> next</li>\n</ul>\n',
    );
  });

  it('highlights fenced code in a registered language, escaping it', () => {
    expect(renderMarkdown('```ts\nconst a = "<b>";\n```')).toBe('<pre><code class="hljs language-ts"><span class="hljs-keyword">const</span> a = <span class="hljs-string">&quot;&lt;b&gt;&quot;</span>;</code></pre>\n');
  });
});

describe('highlighting', () => {
  it('knows the registered languages and their aliases', () => {
    expect([languageOf('ts'), languageOf('sh'), languageOf('html'), languageOf('cobol'), languageOf('')]).toEqual(['ts', 'sh', 'html', null, null]);
  });

  it('escapes code it cannot place', () => {
    expect(highlightCode('a < b && c', 'cobol')).toEqual({ html: 'a &lt; b &amp;&amp; c', language: null });
  });

  it('only lets through safe hrefs', () => {
    expect(['https://x', 'HTTP://x', 'mailto:a@b', '#top', 'javascript:x', ' javascript:x', 'vbscript:x', '/local', 'file:///etc'].map(isSafeHref)).toEqual([true, true, true, true, false, false, false, false, false]);
  });
});
