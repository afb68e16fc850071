import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redirectTo, sendPage } from './metacrypt-page.js';
import type { WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

/**
 * sealGuard is the preHandler of every page but /login, /logout, /init and /unseal: it asks the
 * API's Status (public, one call on the shared connection) and, unless Metacrypt is unsealed,
 * answers "Metacrypt is sealed" (503) with a link to /unseal, or to /init when it was never
 * initialized. An htmx action is sent to that page instead of getting a fragment.
 */
export function sealGuard(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    const { state } = await ctx.api.as({ ip: request.ip }).system.status({});
    if (state === 'unsealed') return undefined;
    const target = state === 'uninitialized' ? webPaths.init : webPaths.unseal;
    if (request.headers['hx-request'] === 'true') return redirectTo(request, reply, target);
    return sendPage(ctx, request, reply, { title: 'Sealed', body: sealedView(state), status: 503 });
  };
}

/** sealedView tells the user why nothing works and where to go. */
export function sealedView(state: string): SafeHTML {
  const uninitialized = state === 'uninitialized';
  // prettier-ignore
  return html`<section id="sealed" data-state="${state}">
<h1>Metacrypt is sealed</h1>
${uninitialized
    ? html`<p>Metacrypt has not been initialized yet: no key exists, so nothing can be stored or read.</p>
<p><a id="init-link" href="${webPaths.init}">Initialize Metacrypt</a></p>`
    : html`<p>Its keys stay locked until an operator unseals it with the unseal password; until then nothing can be read or changed.</p>
<p><a id="unseal-link" href="${webPaths.unseal}">Unseal Metacrypt</a></p>`}
</section>`;
}
