import { InvalidRequestError } from '@metacircular/mcdsl';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { Name as X509Name } from '@peculiar/x509';
import { oid, seq, set, utf8 } from './der.js';

/**
 * Subjects of the certificates the engine makes, as DER. CA subjects are written by admins as
 * RFC 4514 strings ("CN=Metacircular Root CA,O=Metacircular") and encoded by @peculiar/x509;
 * leaf subjects are just the common name (everything else about a leaf is in its SANs).
 */

const commonNameOid = '2.5.4.3';

/** parseSubject reads an RFC 4514 subject into Name DER, or throws InvalidRequestError naming `field`. */
export function parseSubject(text: string, field = 'subject'): Buffer {
  let der: Buffer;
  let name: Name;
  try {
    der = Buffer.from(new X509Name(text.trim()).toArrayBuffer());
    name = AsnConvert.parse(der, Name);
  } catch {
    throw new InvalidRequestError(`${field}: ${JSON.stringify(text)} is not an RFC 4514 name such as "CN=Example CA,O=Example"`);
  }
  if (!name.some((rdn) => rdn.some((atv) => atv.type === commonNameOid))) {
    throw new InvalidRequestError(`${field}: the subject needs a CN, e.g. "CN=Example CA"`);
  }
  return der;
}

/** commonNameSubject is a leaf's subject: CN only (UTF8String), or the empty Name when there is no CN. */
export function commonNameSubject(commonName: string): Buffer {
  if (commonName === '') return seq();
  return seq(set(seq(oid(commonNameOid), utf8(commonName))));
}

/** subjectText renders a Name DER as an RFC 4514 string, for API answers. */
export function subjectText(der: Buffer): string {
  return new X509Name(der).toString();
}
