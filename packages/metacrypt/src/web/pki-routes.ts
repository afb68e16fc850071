import type { FastifyInstance } from 'fastify';
import { createEabAction, createIssuerAction, generateRootAction, importRootAction, issueCertAction } from './pki-actions.js';
import { certPage, certPemDownload, chainPemDownload, revokeCertAction, rootPemDownload } from './pki-cert-page.js';
import { pkiPage } from './pki-page.js';
import type { WebContext } from './web-context.js';
import { webPaths as p } from './web-paths.js';

/** registerPkiRoutes adds the CA engine's pages (`/pki/:mount/...`) to the session scope. */
export function registerPkiRoutes(pages: FastifyInstance, ctx: WebContext): void {
  pages.get(p.pki, pkiPage(ctx));
  pages.post(p.pkiRootGenerate, generateRootAction(ctx));
  pages.post(p.pkiRootImport, importRootAction(ctx));
  pages.get(p.pkiRootPem, rootPemDownload(ctx));
  pages.get(p.pkiChainPem, chainPemDownload(ctx));
  pages.post(p.pkiIssuers, createIssuerAction(ctx));
  pages.post(p.pkiIssue, issueCertAction(ctx));
  pages.get(p.pkiCert, certPage(ctx));
  pages.get(p.pkiCertPem, certPemDownload(ctx));
  pages.post(p.pkiRevoke, revokeCertAction(ctx));
  pages.post(p.pkiEab, createEabAction(ctx));
}
