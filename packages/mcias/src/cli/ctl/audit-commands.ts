import type { Command } from 'commander';
import type { AuditFilters, MciasClient } from '../../client/index.js';
import { note, print, printJson, renderTable } from './cli-output.js';
import { resolveAccountId, type Ctl } from './ctl-context.js';
import { parseInstant, parsePositiveInteger } from './option-parsers.js';

interface QueryOptions {
  type?: string;
  actor?: string;
  target?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  pageToken?: string;
}

/** registerAuditCommands adds `audit query` (admin). */
export function registerAuditCommands(program: Command, ctl: Ctl): void {
  const audit = program.command('audit').description('Read the audit log of security events (admin).');

  audit
    .command('query')
    .description('List audit events, newest first, one page at a time.')
    .option('--type <event-type>', 'only this event type, e.g. login_ok, login_fail, token_revoked, role_granted')
    .option('--actor <account>', 'only events done by this account (username or id)')
    .option('--target <account>', 'only events done to this account (username or id)')
    .option('--since <time>', 'RFC 3339 time, or a duration ago such as 24h', (v) => parseInstant(v))
    .option('--until <time>', 'RFC 3339 time, or a duration ago such as 1h', (v) => parseInstant(v))
    .option('--limit <n>', 'events per page (at most 500; default 100)', parsePositiveInteger)
    .option('--page-token <token>', 'the next page, as printed after the previous page')
    .addHelpText(
      'after',
      `
  $ mciasctl audit query --type login_fail --since 24h
  $ mciasctl --json audit query --target alice --limit 500 | jq '.events[].event_type'
--json prints { events: [...], next_page_token } with the API's field names.`,
    )
    .action((opts: QueryOptions) =>
      ctl.withSession('required', async ({ client }) => {
        const page = await client.listAuditEvents(await filtersOf(client, opts));
        if (ctl.json) return printJson(page);
        print(
          renderTable(
            ['TIME', 'EVENT', 'ACTOR', 'TARGET', 'IP', 'DETAILS'],
            page.events.map((e) => [
              e.eventTime,
              e.eventType,
              e.actorUsername || e.actorId,
              e.targetUsername || e.targetId,
              e.ipAddress,
              Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : '',
            ]),
          ),
        );
        if (page.nextPageToken !== '') note(`more events: add --page-token ${page.nextPageToken}`);
      }),
    );
}

async function filtersOf(client: MciasClient, opts: QueryOptions): Promise<AuditFilters> {
  return {
    ...(opts.type !== undefined ? { eventType: opts.type } : {}),
    ...(opts.actor !== undefined ? { actorId: await resolveAccountId(client, opts.actor) } : {}),
    ...(opts.target !== undefined ? { targetId: await resolveAccountId(client, opts.target) } : {}),
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.until !== undefined ? { until: opts.until } : {}),
    ...(opts.limit !== undefined ? { pageSize: opts.limit } : {}),
    ...(opts.pageToken !== undefined ? { pageToken: opts.pageToken } : {}),
  };
}
