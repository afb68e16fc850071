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

/**
 * canonicalAddress is the one spelling of an IP address, so that addresses can be compared as
 * text: IPv6 compressed and lower-case ("2001:DB8:0:0::1" is "2001:db8::1"), IPv4-mapped IPv6 as
 * the IPv4 address. The WHATWG URL parser does the IPv6 canonicalisation (RFC 5952 form).
 */
export function canonicalAddress(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  let text: string;
  try {
    text = new URL(`http://[${plain}]`).hostname.slice(1, -1);
  } catch {
    return plain.toLowerCase(); // a scoped address ("fe80::1%eth0") is no URL host
  }
  // The URL form of a mapped IPv4 address is hex: "::ffff:c000:201" for 192.0.2.1.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(text);
  if (mapped === null) return text;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** sameAddress tells whether two IP addresses are the same, however each is spelled. */
export function sameAddress(a: string, b: string): boolean {
  return a === b || canonicalAddress(a) === canonicalAddress(b);
}
