import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { html } from './html.js';
import { csrfInput, errorView, logoutForm, noticeView, redirectTo, sendFragment, servicePage } from './page-shell.js';

describe('page shell', () => {
  const app = Fastify();
  app.get('/fragment', (_request, reply) => sendFragment(reply, html`<p>${'<b>'}</p>`, 422));
  app.get('/go', (request, reply) => redirectTo(request, reply, '/next'));
  after(() => app.close());

  it("wraps a body in the service's document: title, assets, nav, flash with the notice", () => {
    const page = servicePage({
      service: 'Svc',
      assets: { css: '/static/svc.css', js: '/static/svc.js' },
      title: 'Home <1>',
      csrfToken: 'tok',
      nav: html`<a href="/">Svc</a>`,
      body: html`<section id="main"></section>`,
      notice: noticeView('saved'),
    }).value;
    assert.match(page, /<title>Home &lt;1&gt; - Svc<\/title>/);
    assert.match(page, /<link rel="stylesheet" href="\/static\/svc.css">\n<script src="\/static\/svc.js"><\/script>/);
    assert.match(page, /<nav><a href="\/">Svc<\/a><\/nav>/);
    assert.match(page, /<div id="flash" role="status"><p class="notice" role="status">saved<\/p><\/div>\n<section id="main">/);
    assert.match(page, /<meta name="csrf-token" content="tok">/);
  });

  it('renders notices, errors and the CSRF form pieces escaped', () => {
    assert.equal(errorView('no <way>').value, '<p class="error" role="alert">no &lt;way&gt;</p>');
    const csrf = { fieldName: 'csrf_token', token: 'a"b' };
    assert.equal(csrfInput(csrf).value, '<input type="hidden" name="csrf_token" value="a&quot;b">');
    assert.match(
      logoutForm('/logout', csrf).value,
      /^<form method="post" action="\/logout"><input [^>]+><button type="submit" id="logout">Log out<\/button><\/form>$/,
    );
  });

  it('sends a fragment that also empties #flash out of band', async () => {
    const res = await app.inject({ method: 'GET', url: '/fragment' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.body, '<p>&lt;b&gt;</p>\n<div id="flash" role="status" hx-swap-oob="true"></div>');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('redirects a browser with 303 and htmx with HX-Redirect', async () => {
    const plain = await app.inject({ method: 'GET', url: '/go' });
    assert.equal(plain.statusCode, 303);
    assert.equal(plain.headers.location, '/next');
    const htmx = await app.inject({ method: 'GET', url: '/go', headers: { 'hx-request': 'true' } });
    assert.equal(htmx.statusCode, 200);
    assert.equal(htmx.headers['hx-redirect'], '/next');
  });
});
