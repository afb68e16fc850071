import type { Logger } from '@metacircular/mcdsl';
import { AddressList } from './address-list.js';
import type { DnsConfig } from './dns-config.js';
import type { DnsStore } from './dns-store.js';
import { ForwardCache } from './forward-cache.js';
import { Forwarder } from './forwarder.js';
import { QueryEngine } from './query-engine.js';

/** BuiltEngine is a query engine with the forwarder it owns (to close) and its logger. */
export interface BuiltEngine {
  readonly engine: QueryEngine;
  readonly forwarder: Forwarder | undefined;
  readonly logger: Logger;
}

/**
 * buildEngine wires a QueryEngine from the `[dns]` config: a forwarder with its cache when
 * upstreams are set, the recursion ACL, and the transfer ACL (the secondaries' addresses plus
 * allow_transfer). The server process and every UDP worker build theirs the same way.
 */
export function buildEngine(store: DnsStore, config: DnsConfig, logger: Logger, now?: () => number): BuiltEngine {
  const forwarder =
    config.upstreams.length === 0
      ? undefined
      : new Forwarder({
          upstreams: config.upstreams,
          timeoutMs: config.forward_timeout,
          cache: new ForwardCache({ maxEntries: config.cache_max_entries, now }),
          maxTtlSeconds: Math.floor(config.cache_max_ttl / 1000),
          udpPayloadSize: config.udp_payload_size,
        });
  const engine = new QueryEngine({
    store,
    logger,
    udpPayloadSize: config.udp_payload_size,
    forwarder,
    recursionAllow: new AddressList(config.recursion_allow),
    transferAllow: new AddressList([...config.secondaries.map((s) => s.host), ...config.allow_transfer]),
  });
  return { engine, forwarder, logger };
}
