import { InvalidRequestError } from '@metacircular/mcdsl';
import { reservedNames } from '../platform-layout.js';
import type { ServiceDefinition } from './service-definition.js';

const serviceName = /^[a-z][a-z0-9-]{0,30}$/;
const portName = /^[a-z][a-z0-9_]{0,30}$/;

/**
 * validateRegistry checks a registry before anything is written: unique lowercase names that
 * are not layout folders (pki, secrets, run, logs), and well-formed port names. Names become
 * directory names and platform.json keys, so a bad one must never get that far.
 */
export function validateRegistry(registry: readonly ServiceDefinition[]): void {
  const seen = new Set<string>();
  for (const definition of registry) {
    const name = String(definition.name);
    if (!serviceName.test(name) || reservedNames.has(name)) {
      throw new InvalidRequestError(
        `service name '${name}' is invalid; use lowercase letters, digits and dashes, not ${[...reservedNames].join('/')}`,
      );
    }
    if (seen.has(name))
      throw new InvalidRequestError(`service '${name}' is listed twice in the registry; list each service once`);
    seen.add(name);
    for (const port of definition.ports) {
      if (!portName.test(port)) {
        throw new InvalidRequestError(`service '${name}' declares port '${port}'; port names are lowercase identifiers`);
      }
    }
    if (new Set(definition.ports).size !== definition.ports.length) {
      throw new InvalidRequestError(`service '${name}' declares a port name twice; declare each port once`);
    }
  }
}
