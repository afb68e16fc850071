/**
 * Wire numbers the DNS code uses by name (RFC 1035, 2136, 1996, 6891). Only what MCNS reads or
 * writes is listed; dns-packet has the full tables for the slow paths.
 */

/** Opcode is the 4-bit kind of a message (header bits 11-14). */
export const Opcode = { QUERY: 0, NOTIFY: 4 } as const;

/** Rcode is the response code; BADVERS needs the EDNS extended bits (16 = 1 << 4). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

/** QType holds the record types MCNS answers plus the meta types it treats specially. */
export const QType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
} as const;

/** typeNumbers maps a stored record type to its wire number. */
export const typeNumbers: Readonly<Record<string, number>> = {
  A: QType.A,
  AAAA: QType.AAAA,
  CNAME: QType.CNAME,
  NS: QType.NS,
  MX: QType.MX,
  TXT: QType.TXT,
  SRV: QType.SRV,
  CAA: QType.CAA,
  PTR: QType.PTR,
};

/** CLASS_IN is the Internet class, the only one MCNS serves. */
export const CLASS_IN = 1;

/** Header flag bits within the 16-bit flags word. */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** HEADER_SIZE is the fixed DNS header length; anything shorter is dropped silently. */
export const HEADER_SIZE = 12;

/** CLASSIC_UDP_SIZE is the UDP answer limit for clients that send no EDNS (RFC 1035). */
export const CLASSIC_UDP_SIZE = 512;

/** EDNS_DO is the DNSSEC OK bit in the OPT record's flags (RFC 3225). */
export const EDNS_DO = 0x8000;
