import type { FastifyInstance } from 'fastify';
import {
  createProfileAction,
  deleteProfileAction,
  krlDownload,
  profilePage,
  revokeSshCertAction,
  signSshKeyAction,
  updateProfileAction,
} from './sshca-actions.js';
import { sshcaPage } from './sshca-page.js';
import type { WebContext } from './web-context.js';
import { webPaths as p } from './web-paths.js';

/** registerSshcaRoutes adds the SSH CA engine's pages (`/sshca/:mount/...`) to the session scope. */
export function registerSshcaRoutes(pages: FastifyInstance, ctx: WebContext): void {
  pages.get(p.sshca, sshcaPage(ctx));
  pages.post(p.sshcaProfiles, createProfileAction(ctx));
  pages.get(p.sshcaProfile, profilePage(ctx));
  pages.put(p.sshcaProfile, updateProfileAction(ctx));
  pages.delete(p.sshcaProfile, deleteProfileAction(ctx));
  pages.post(p.sshcaSign, signSshKeyAction(ctx));
  pages.post(p.sshcaRevoke, revokeSshCertAction(ctx));
  pages.get(p.sshcaKrl, krlDownload(ctx));
}
