import { createJsonClient, errorOfHttpStatus, type JsonClient } from '@metacircular/mcdsl';

/** ZoneJson is a zone as the REST API returns it (proto JSON: int64 ids as strings). */
export interface ZoneJson {
  id: string;
  name: string;
  primary_ns: string;
  admin_email: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum_ttl: number;
  serial: number;
  created_at: string;
  updated_at: string;
}

/** RecordJson is a record as the REST API returns it. */
export interface RecordJson {
  id: string;
  zone: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  created_at: string;
  updated_at: string;
}

/**
 * McnsApi is mcnsctl's REST client: one method per call it makes, each turning an error status
 * into the McError of its category (mcdsl errorOfHttpStatus) with the server's own message (which never holds a token),
 * so the command line can say what went wrong and exit with the matching code.
 */
export class McnsApi {
  readonly #client: JsonClient;
  readonly #token: string;

  constructor(opts: { server: string; caCert?: Buffer; token: string }) {
    this.#client = createJsonClient({ baseUrl: opts.server, ...(opts.caCert ? { ca: opts.caCert } : {}) });
    this.#token = opts.token;
  }

  listZones(): Promise<ZoneJson[]> {
    return this.#call<{ zones: ZoneJson[] }>('GET', '/v1/zones').then((body) => body.zones);
  }
  getZone(zone: string): Promise<ZoneJson> {
    return this.#call('GET', `/v1/zones/${seg(zone)}`);
  }
  createZone(body: Record<string, unknown>): Promise<ZoneJson> {
    return this.#call('POST', '/v1/zones', body);
  }
  updateZone(zone: string, body: Record<string, unknown>): Promise<ZoneJson> {
    return this.#call('PUT', `/v1/zones/${seg(zone)}`, body);
  }
  async deleteZone(zone: string): Promise<void> {
    await this.#call('DELETE', `/v1/zones/${seg(zone)}`);
  }

  listRecords(zone: string, filter: { name?: string; type?: string }): Promise<RecordJson[]> {
    const query = new URLSearchParams();
    if (filter.name !== undefined) query.set('name', filter.name);
    if (filter.type !== undefined) query.set('type', filter.type);
    const qs = query.size > 0 ? `?${query.toString()}` : '';
    return this.#call<{ records: RecordJson[] }>('GET', `/v1/zones/${seg(zone)}/records${qs}`).then((body) => body.records);
  }
  getRecord(zone: string, id: string): Promise<RecordJson> {
    return this.#call('GET', `/v1/zones/${seg(zone)}/records/${seg(id)}`);
  }
  createRecord(zone: string, body: Record<string, unknown>): Promise<RecordJson> {
    return this.#call('POST', `/v1/zones/${seg(zone)}/records`, body);
  }
  updateRecord(zone: string, id: string, body: Record<string, unknown>): Promise<RecordJson> {
    return this.#call('PUT', `/v1/zones/${seg(zone)}/records/${seg(id)}`, body);
  }
  async deleteRecord(zone: string, id: string): Promise<void> {
    await this.#call('DELETE', `/v1/zones/${seg(zone)}/records/${seg(id)}`);
  }

  /** close drops the keep-alive connections. */
  close(): void {
    this.#client.close();
  }

  async #call<T>(method: string, path: string, body?: Record<string, unknown>): Promise<T> {
    const res = await this.#client.request<T & { error?: string }>(method, path, {
      token: this.#token,
      ...(body === undefined ? {} : { body }),
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    throw errorOfHttpStatus(res.status, res.body?.error ?? `the server answered ${res.status}`);
  }
}

function seg(value: string): string {
  return encodeURIComponent(value);
}
