import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * defaultDomain is the platform domain when `--domain` is not given: `.internal` is the
 * top-level domain ICANN reserves for private networks, so it never collides with a real zone.
 */
export const defaultDomain = 'metacircular.internal';

const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * assertDomainName accepts a lowercase DNS name of at least two labels (`example.internal`) and
 * returns it; anything else would end up in certificate names and DNS zones, so it is refused.
 */
export function assertDomainName(domain: string): string {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 200 || labels.length < 2 || !labels.every((l) => label.test(l))) {
    throw new InvalidRequestError(
      `domain '${domain}' is not a valid DNS name; use lowercase labels separated by dots, e.g. ${defaultDomain}`,
    );
  }
  return name;
}

/** serviceHostname is a service's platform name: `<service>.svc.mcp.<domain>`. */
export function serviceHostname(service: string, domain: string): string {
  return `${service}.svc.mcp.${domain}`;
}
