import type { Command } from 'commander';
import type { Ctl } from './ctl-context.js';
import { note, print, printJson, renderFields, renderTable } from './cli-output.js';
import type { ZoneJson } from './mcns-api.js';
import { parseSeconds } from './option-parsers.js';

interface SoaOptions {
  primaryNs?: string;
  adminEmail?: string;
  refresh?: number;
  retry?: number;
  expire?: number;
  minimumTtl?: number;
}

/** registerZoneCommands adds `mcnsctl zones list|get|create|update|delete` (mutations need the admin role). */
export function registerZoneCommands(program: Command, ctl: Ctl): void {
  const zones = program.command('zones').description('list and manage zones (create, update and delete need the admin role)');

  zones
    .command('list')
    .description('list the zones with their SOA serials')
    .action(() =>
      ctl.withApi(async (api) => {
        const list = await api.listZones();
        if (ctl.json) return printJson({ zones: list });
        print(
          renderTable(
            ['NAME', 'SERIAL', 'PRIMARY NS', 'ADMIN'],
            list.map((z) => [z.name, z.serial, z.primary_ns, z.admin_email]),
          ),
        );
      }),
    );

  zones
    .command('get <zone>')
    .description('show one zone and its SOA parameters')
    .action((zone: string) => ctl.withApi(async (api) => showZone(ctl, await api.getZone(zone))));

  withSoaOptions(
    zones
      .command('create <zone>')
      .description('create a zone (SOA parameters left out take the defaults 3600/600/86400/300)')
      .requiredOption('--primary-ns <host>', 'SOA primary name server, e.g. ns.mcp.example.net')
      .requiredOption('--admin-email <email>', 'SOA responsible mailbox, e.g. hostmaster@example.net'),
  ).action((zone: string, opts: SoaOptions) =>
    ctl.withApi(async (api) => {
      const created = await api.createZone({ name: zone, ...soaBody(opts) });
      showZone(ctl, created);
    }),
  );

  withSoaOptions(
    zones
      .command('update <zone>')
      .description('change SOA parameters (only those given); bumps the serial')
      .option('--primary-ns <host>', 'SOA primary name server')
      .option('--admin-email <email>', 'SOA responsible mailbox'),
  ).action((zone: string, opts: SoaOptions) =>
    ctl.withApi(async (api) => showZone(ctl, await api.updateZone(zone, soaBody(opts)))),
  );

  zones
    .command('delete <zone>')
    .description('delete a zone and every record in it')
    .action((zone: string) =>
      ctl.withApi(async (api) => {
        await api.deleteZone(zone);
        if (ctl.json) return printJson({ deleted: zone });
        note(`deleted zone ${zone}`);
      }),
    );
}

function withSoaOptions(command: Command): Command {
  return command
    .option('--refresh <seconds>', 'SOA refresh', parseSeconds)
    .option('--retry <seconds>', 'SOA retry', parseSeconds)
    .option('--expire <seconds>', 'SOA expire', parseSeconds)
    .option('--minimum-ttl <seconds>', 'SOA minimum (negative-caching TTL)', parseSeconds);
}

function soaBody(opts: SoaOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (opts.primaryNs !== undefined) body['primary_ns'] = opts.primaryNs;
  if (opts.adminEmail !== undefined) body['admin_email'] = opts.adminEmail;
  if (opts.refresh !== undefined) body['refresh'] = opts.refresh;
  if (opts.retry !== undefined) body['retry'] = opts.retry;
  if (opts.expire !== undefined) body['expire'] = opts.expire;
  if (opts.minimumTtl !== undefined) body['minimum_ttl'] = opts.minimumTtl;
  return body;
}

function showZone(ctl: Ctl, zone: ZoneJson): void {
  if (ctl.json) return printJson(zone);
  print(
    renderFields([
      ['name', zone.name],
      ['serial', zone.serial],
      ['primary ns', zone.primary_ns],
      ['admin email', zone.admin_email],
      ['refresh', zone.refresh],
      ['retry', zone.retry],
      ['expire', zone.expire],
      ['minimum ttl', zone.minimum_ttl],
      ['updated', zone.updated_at],
    ]),
  );
}
