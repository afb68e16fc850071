import type { z } from 'zod';
import type { EnvOverride } from './env-overrides.js';
import { envNamePart } from './env-overrides.js';
import { ConfigError } from './config-error.js';
import { getAt, objectShapeOf, setAt } from './schema-shape.js';

/**
 * Port overrides are how MCP hands a container its ports; they win over the file and over the
 * generic `<SERVICE>_...` variables:
 *
 *   $PORT          -> [server] listen_addr
 *   $PORT_GRPC     -> [server] grpc_addr
 *   $PORT_<NAME>   -> [server] <name>_addr if the schema has it, else [<name>] listen_addr
 *                     (so $PORT_WEB sets [web] listen_addr, $PORT_DNS [server] dns_addr or
 *                     [dns] listen_addr). The `[server] <name>_addr` form is tried first
 *                     because it is also what $PORT_GRPC means.
 *
 * A variable whose target key is not in the schema is ignored: MCP may assign ports a given
 * service does not use. The address keeps the host of the configured address (so
 * "127.0.0.1:8443" with PORT=9000 becomes "127.0.0.1:9000"); with no configured address, or one
 * with an empty host like ":8443", it becomes ":<port>", which listeners read as "all
 * interfaces" (v4 and v6), as the Go services did.
 */
export function applyPortOverrides(
  tree: Record<string, unknown>,
  schema: z.ZodType,
  env: NodeJS.ProcessEnv,
  file: string,
): EnvOverride[] {
  const applied: EnvOverride[] = [];
  const names = Object.keys(env)
    .filter((name) => /^PORT(_[A-Z0-9_]+)?$/.test(name))
    .sort();
  for (const variable of names) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const target = targetOf(variable, schema);
    if (target === undefined) continue;
    const { path, leaf } = target;
    const port = raw.trim();
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
      throw new ConfigError(file, [
        { path, message: `$${variable} must be a port number from 1 to 65535, got ${JSON.stringify(raw)}` },
      ]);
    }
    // The address replaced is the configured one, or else the schema's default.
    const configured = getAt(tree, path);
    const current = configured === undefined ? leaf.safeParse(undefined).data : configured;
    if (setAt(tree, path, `${hostOf(current)}:${n}`)) applied.push({ path, variable });
  }
  return applied;
}

interface PortTarget {
  readonly path: string[];
  readonly leaf: z.ZodType;
}

function targetOf(variable: string, schema: z.ZodType): PortTarget | undefined {
  if (variable === 'PORT') return resolvePath(schema, ['server', 'listen_addr']);
  const name = variable.slice('PORT_'.length);
  return resolvePath(schema, ['server', `${name}_addr`]) ?? resolvePath(schema, [name, 'listen_addr']);
}

/** resolvePath finds the schema keys a variable-style path names, matched as env names are. */
function resolvePath(schema: z.ZodType, path: readonly string[]): PortTarget | undefined {
  const resolved: string[] = [];
  let node = schema;
  for (const key of path) {
    const object = objectShapeOf(node);
    const match = object && Object.keys(object.shape).find((k) => envNamePart(k) === envNamePart(key));
    const child = match === undefined ? undefined : object?.shape[match];
    if (match === undefined || child === undefined) return undefined;
    resolved.push(match);
    node = child;
  }
  return { path: resolved, leaf: node };
}

/** hostOf is the host part of a "host:port" address ("" for ":8443" or no address). */
function hostOf(address: unknown): string {
  if (typeof address !== 'string') return '';
  const colon = address.lastIndexOf(':');
  if (colon < 0) return address;
  return address.slice(0, colon);
}
