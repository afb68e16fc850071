import { BlockList, isIP } from 'node:net';
import { parseCidr } from './dns-config.js';

/**
 * AddressList answers "is this client address in one of these networks?" for the recursion and
 * transfer ACLs, with node's BlockList. Clients reaching a dual-stack socket show up as
 * IPv4-mapped IPv6 ("::ffff:192.0.2.1"); they are matched as the IPv4 address they are.
 */
export class AddressList {
  readonly #list = new BlockList();
  #empty = true;

  /** AddressList takes ips and cidrs already validated by the config schema. */
  constructor(entries: Iterable<string>) {
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (cidr === undefined) throw new Error(`address list: "${entry}" is not an ip or cidr`);
      this.#list.addSubnet(cidr.address, cidr.prefix, cidr.family);
      this.#empty = false;
    }
  }

  /** contains tells whether `address` falls in one of the networks. */
  contains(address: string): boolean {
    if (this.#empty) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** unmapped turns "::ffff:192.0.2.1" into "192.0.2.1" and leaves other addresses alone. */
export function unmapped(address: string): string {
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:' && isIP(address.slice(7)) === 4) {
    return address.slice(7);
  }
  return address;
}
