/**
 * AcmeUrls builds the absolute URLs of one mount's ACME resources (RFC 8555 §7.1). The same
 * strings are what clients must put in each JWS `url` header and, for `kid`, the account URL, so
 * requests are checked against these and never against anything the client chose.
 */
export class AcmeUrls {
  /** base is `{origin}/acme/{mount}`, without a trailing slash */
  readonly base: string;

  constructor(origin: string, mount: string) {
    this.base = `${origin}/acme/${mount}`;
  }

  get directory(): string {
    return `${this.base}/directory`;
  }
  get newNonce(): string {
    return `${this.base}/new-nonce`;
  }
  get newAccount(): string {
    return `${this.base}/new-account`;
  }
  get newOrder(): string {
    return `${this.base}/new-order`;
  }
  get revokeCert(): string {
    return `${this.base}/revoke-cert`;
  }
  get keyChange(): string {
    return `${this.base}/key-change`;
  }
  account(id: string): string {
    return `${this.base}/account/${id}`;
  }
  accountOrders(id: string): string {
    return `${this.base}/account/${id}/orders`;
  }
  order(id: string): string {
    return `${this.base}/order/${id}`;
  }
  finalize(orderId: string): string {
    return `${this.base}/order/${orderId}/finalize`;
  }
  authz(id: string): string {
    return `${this.base}/authz/${id}`;
  }
  challenge(id: string): string {
    return `${this.base}/chall/${id}`;
  }
  cert(id: string): string {
    return `${this.base}/cert/${id}`;
  }

  /** accountIdOf returns the account id a `kid` names, or undefined when it is not one of this mount's account URLs. */
  accountIdOf(kid: string): string | undefined {
    const prefix = `${this.base}/account/`;
    if (!kid.startsWith(prefix)) return undefined;
    const id = kid.slice(prefix.length);
    return id.includes('/') ? undefined : id;
  }
}
