import { isIP } from 'node:net';
import { InvalidRequestError } from '../errors/index.js';

/** ListenAddress is a parsed `host:port`; an absent host means every interface. */
export interface ListenAddress {
  readonly host: string | undefined;
  readonly port: number;
}

/**
 * parseListenAddress reads the config form of a listen address, as Go services wrote it:
 * `127.0.0.1:8443`, `:8443` (every interface), `[::1]:0`, `localhost:8443`. Port 0 asks the
 * kernel for a free port (tests). A malformed value is an InvalidRequestError naming it.
 */
export function parseListenAddress(addr: string, configKey = 'listen address'): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr.trim());
  const bad = (why: string): InvalidRequestError =>
    new InvalidRequestError(`${configKey} "${addr}" ${why}; write it as host:port, :port or [ipv6]:port`, {
      code: 'ERR_LISTEN_ADDRESS',
    });
  if (!match) throw bad('is not a listen address');
  const [, bracketed, plain, portText] = match;
  const port = Number(portText);
  if (port > 65535) throw bad('has a port above 65535');
  if (bracketed !== undefined) {
    if (isIP(bracketed) !== 6) throw bad('has brackets around something that is not an ipv6 address');
    return { host: bracketed, port };
  }
  return { host: plain ? plain : undefined, port };
}
