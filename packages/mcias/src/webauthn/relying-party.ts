import { UnavailableError } from '@metacircular/mcdsl';
import type { WebAuthnConfig } from '../config.js';

/**
 * RelyingParty is who MCIAS is to an authenticator: the RP ID (a host name the credential is
 * scoped to), the name shown to people, and the one origin ceremonies are accepted from.
 *
 * The origin is `[webauthn] rp_origin` when set (e.g. behind a proxy). Otherwise it is the REST
 * listener itself, `https://<rp_id>:<port>`, and the port is known only once the listener is
 * bound (`$PORT`, or port 0 in tests): main.ts calls listening(port) right after listen, before
 * any request can arrive.
 */
export class RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly #configuredOrigin: string | undefined;
  #boundOrigin: string | undefined;

  constructor(config: WebAuthnConfig) {
    this.id = config.rp_id;
    this.name = config.display_name;
    this.#configuredOrigin = config.rp_origin;
  }

  /** listening derives the default origin from the bound REST port (no-op with rp_origin set). */
  listening(port: number): void {
    this.#boundOrigin = port === 443 ? `https://${this.id}` : `https://${this.id}:${port}`;
  }

  /** origin is the origin clientDataJSON must name; 503 in the instant before the listener is bound. */
  get origin(): string {
    const origin = this.#configuredOrigin ?? this.#boundOrigin;
    if (origin === undefined) throw new UnavailableError('webauthn origin is not known until the server listens');
    return origin;
  }
}
