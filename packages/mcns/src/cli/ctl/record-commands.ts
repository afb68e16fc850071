import type { Command } from 'commander';
import type { Ctl } from './ctl-context.js';
import { note, print, printJson, renderFields, renderTable } from './cli-output.js';
import type { RecordJson } from './mcns-api.js';
import { parseRecordId, parseSeconds } from './option-parsers.js';

const typesHelp = 'A, AAAA, CNAME, NS, MX, TXT, SRV, CAA or PTR';

/**
 * registerRecordCommands adds `mcnsctl records list|get|create|update|delete`. Who may write
 * which names is the server's rule (admins and mcp-agent any, another system account only its
 * own name, people none); a refusal is reported with the server's reason.
 */
export function registerRecordCommands(program: Command, ctl: Ctl): void {
  const records = program.command('records').description(`list and manage records (${typesHelp})`);

  records
    .command('list <zone>')
    .description('list the records of a zone')
    .option('--name <name>', 'only records at this name (relative, "@" for the apex)')
    .option('--type <type>', `only records of this type (${typesHelp})`)
    .action((zone: string, opts: { name?: string; type?: string }) =>
      ctl.withApi(async (api) => {
        const list = await api.listRecords(zone, opts);
        if (ctl.json) return printJson({ records: list });
        print(
          renderTable(
            ['ID', 'NAME', 'TYPE', 'TTL', 'VALUE'],
            list.map((r) => [r.id, r.name, r.type, r.ttl, r.value]),
          ),
        );
      }),
    );

  records
    .command('get')
    .description('show one record')
    .argument('<zone>', 'the zone name')
    .argument('<id>', 'the record id (records list shows it)', parseRecordId)
    .action((zone: string, id: string) => ctl.withApi(async (api) => showRecord(ctl, await api.getRecord(zone, id))));

  records
    .command('create <zone> <name> <type> <value>')
    .description('create a record; <name> is relative to the zone ("@" for the apex); the zone serial is bumped')
    .option('--ttl <seconds>', 'time to live (default 300)', parseSeconds)
    .addHelpText(
      'after',
      `
Values by type: A 192.0.2.1 | AAAA 2001:db8::1 | CNAME/NS/PTR host.example.net |
MX "10 mail.example.net" | SRV "10 5 443 target.example.net" | CAA '0 issue "ca.example.net"' | TXT any text

Example:
  $ mcnsctl records create svc.mcp.example.net metacrypt A 192.168.88.181 --ttl 300`,
    )
    .action((zone: string, name: string, type: string, value: string, opts: { ttl?: number }) =>
      ctl.withApi(async (api) => {
        const body = { name, type, value, ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }) };
        showRecord(ctl, await api.createRecord(zone, body));
      }),
    );

  records
    .command('update')
    .description('change a record (only the fields given); the zone serial is bumped')
    .argument('<zone>', 'the zone name')
    .argument('<id>', 'the record id (records list shows it)', parseRecordId)
    .option('--name <name>', 'new relative name')
    .option('--type <type>', `new type (${typesHelp})`)
    .option('--value <value>', 'new value')
    .option('--ttl <seconds>', 'new time to live', parseSeconds)
    .action((zone: string, id: string, opts: { name?: string; type?: string; value?: string; ttl?: number }) =>
      ctl.withApi(async (api) => {
        const body: Record<string, unknown> = {};
        for (const key of ['name', 'type', 'value', 'ttl'] as const) if (opts[key] !== undefined) body[key] = opts[key];
        showRecord(ctl, await api.updateRecord(zone, id, body));
      }),
    );

  records
    .command('delete')
    .description('delete a record; the zone serial is bumped')
    .argument('<zone>', 'the zone name')
    .argument('<id>', 'the record id (records list shows it)', parseRecordId)
    .action((zone: string, id: string) =>
      ctl.withApi(async (api) => {
        await api.deleteRecord(zone, id);
        if (ctl.json) return printJson({ deleted: id, zone });
        note(`deleted record ${id} from ${zone}`);
      }),
    );
}

function showRecord(ctl: Ctl, record: RecordJson): void {
  if (ctl.json) return printJson(record);
  print(
    renderFields([
      ['id', record.id],
      ['zone', record.zone],
      ['name', record.name],
      ['type', record.type],
      ['value', record.value],
      ['ttl', record.ttl],
      ['updated', record.updated_at],
    ]),
  );
}
