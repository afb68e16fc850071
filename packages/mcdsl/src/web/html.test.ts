import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHTML, html, raw, SafeHTML } from './html.js';
import { layout } from './layout.js';

describe('html', () => {
  it('escapes classic XSS payloads in content and attributes', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      "' onmouseover='alert(1)",
      '</title><script>alert(1)</script>',
      '&lt;already&gt;',
    ];
    for (const p of payloads) {
      // prettier-ignore
      const out = html`<p title="${p}" data-x='${p}'>${p}</p>`.value;
      assert.ok(!out.includes('<script'), out);
      assert.ok(!out.includes('<img'), out);
      assert.equal(out.split('"').length - 1, 2, `only the template's own quotes survive: ${out}`);
      assert.equal(out.split("'").length - 1, 2, out);
    }
    assert.equal(escapeHTML(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
    assert.equal(html`${'&lt;already&gt;'}`.value, '&amp;lt;already&amp;gt;');
  });

  it('keeps SafeHTML, joins arrays and drops null, undefined and false', () => {
    const rows = ['a<b', 'c'].map((name) => html`<li>${name}</li>`);
    // prettier-ignore
    assert.equal(html`<ul>${rows}</ul>`.value, '<ul><li>a&lt;b</li><li>c</li></ul>');
    assert.equal(html`${raw('<b>x</b>')}${null}${undefined}${false}${0}${'<'}`.value, '<b>x</b>0&lt;');
    // prettier-ignore
    assert.equal(html`${[['<', html`<i>`], 1n]}`.value, '&lt;<i>1');
    assert.ok(html`x` instanceof SafeHTML);
    // prettier-ignore
    assert.equal(String(html`<a>`), '<a>');
  });

  it('leaves no markup character unescaped, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        const out = html`${text}`.value;
        assert.doesNotMatch(out, /[<>"']/);
        assert.doesNotMatch(out, /&(?!amp;|lt;|gt;|quot;|#39;)/);
        const back = out.replace(
          /&lt;|&gt;|&quot;|&#39;|&amp;/g,
          (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e] ?? e,
        );
        assert.equal(back, text);
      }),
    );
  });
});

describe('layout', () => {
  it('loads htmx from our origin and exposes the csrf token to htmx and forms', () => {
    const page = layout({
      title: 'Accounts <admin>',
      body: html`<h1>hi</h1>`,
      csrfToken: 'tok"en',
      nav: html`<a href="/">home</a>`,
    }).value;
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /<script src="\/static\/htmx\.min\.js"><\/script>/);
    assert.match(page, /<title>Accounts &lt;admin&gt;<\/title>/);
    assert.match(page, /<meta name="csrf-token" content="tok&quot;en">/);
    assert.match(page, /<body hx-headers="\{&quot;x-csrf-token&quot;:&quot;tok\\&quot;en&quot;\}">/);
    assert.match(page, /<nav><a href="\/">home<\/a><\/nav>/);
    assert.match(page, /<main>\n<h1>hi<\/h1>\n<\/main>/);
    assert.doesNotMatch(page, /<script>/, 'no inline script');
  });

  it('leaves the csrf parts out when there is no token', () => {
    const page = layout({ title: 't', body: html`` }).value;
    assert.doesNotMatch(page, /csrf-token|hx-headers/);
    assert.match(page, /<body>/);
  });
});
