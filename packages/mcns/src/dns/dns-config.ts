import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, parseListenAddress } from '@metacircular/mcdsl';

/**
 * The `[dns]` section of mcns.toml (spec 2.3): where the DNS server listens, where it forwards
 * names outside its zones, who may recurse, and who may transfer zones. Durations are Go
 * strings read as milliseconds. `$PORT_DNS` overrides `listen_addr` (mcdsl port overrides).
 */

/** DnsEndpoint is a parsed "ip:port" (upstream resolver or NOTIFY target). */
export interface DnsEndpoint {
  readonly host: string;
  readonly port: number;
}

/** defaultRecursionAllow is loopback plus the private, CGNAT (Tailscale) and ULA ranges. */
export const defaultRecursionAllow: readonly string[] = [
  '127.0.0.0/8',
  '::1/128',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  'fc00::/7',
];

const listenAddress = z.string().superRefine((value, ctx) => {
  try {
    parseListenAddress(value, 'listen_addr');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

// "ip:port", "[v6]:port", or a bare IP meaning port 53. Names are refused: a resolver that needs
// DNS to find its upstream cannot start when DNS is down.
const endpoint = z.string().transform((value, ctx): DnsEndpoint => {
  const parsed = parseEndpoint(value);
  if (parsed) return parsed;
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not an ip:port address; write it as 192.0.2.1:53, [2001:db8::1]:53 or a bare ip`,
  });
  return z.NEVER;
});

const cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: 'must be an ip address or a cidr like 10.0.0.0/8 or fc00::/7',
});

/** dnsSection is `[dns]`; the whole section may be left out (every key has a default). */
export const dnsSection = z.strictObject({
  /** "host:port" or a list of them, each bound on UDP and TCP; default ":53" (every interface) */
  listen_addr: z
    .union([listenAddress, z.array(listenAddress).min(1, 'must name at least one address')])
    .default(':53')
    .transform((value) => (Array.isArray(value) ? value : [value])),
  /** resolvers names outside the zones are forwarded to, tried in order; default [] (REFUSED) */
  upstreams: z.array(endpoint).default([]),
  /** forwarded answers kept in memory; default 1000, 0 turns the cache off */
  cache_max_entries: z.number().int().min(0).max(10_000_000).default(1000),
  /** the longest a forwarded answer is cached; default "300s" */
  cache_max_ttl: duration('300s'),
  /** how long one upstream gets before the next is tried; default "2s" */
  forward_timeout: duration('2s').refine((ms) => ms > 0, { message: 'must be longer than 0s' }),
  /** clients (ip or cidr) whose queries may be forwarded; others get REFUSED for outside names */
  recursion_allow: z.array(cidr).default([...defaultRecursionAllow]),
  /** secondaries sent a NOTIFY when a zone changes; their ips may AXFR; default [] */
  secondaries: z.array(endpoint).default([]),
  /** further ips or cidrs allowed to AXFR; default [] */
  allow_transfer: z.array(cidr).default([]),
  /** the EDNS UDP payload size advertised and the largest UDP answer sent; default 1232 */
  udp_payload_size: z.number().int().min(512).max(65507).default(1232),
  /**
   * processes answering UDP, sharing each UDP socket; default 1 (the server process alone).
   * More use more cores (about one per CPU pays off under heavy load); TCP, AXFR and NOTIFY stay
   * in the server process. Each extra process opens the database read-only.
   */
  workers: z.number().int().min(1).max(64).default(1),
});

/** DnsConfig is the validated `[dns]` section (durations in milliseconds). */
export type DnsConfig = z.output<typeof dnsSection>;

/** parseEndpoint reads "ip:port", "[v6]:port" or a bare ip (port 53); undefined if malformed. */
export function parseEndpoint(value: string): DnsEndpoint | undefined {
  const text = value.trim();
  if (isIP(text) !== 0) return { host: text, port: 53 };
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  const family = isIP(host);
  if (family === 0 || (match[1] !== undefined && family !== 6)) return undefined;
  return { host, port };
}

/** Cidr is a parsed network: its address, prefix length and family. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** parseCidr reads "10.0.0.0/8", "fc00::/7" or a bare ip (a /32 or /128); undefined if malformed. */
export function parseCidr(value: string): Cidr | undefined {
  const [address = '', prefixText, extra] = value.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}
