import { InvalidArgumentError, Option, type Command } from 'commander';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { PolicyRule, PolicyRuleInput } from '../../client/index.js';
import { note, print, printJson, renderFields, renderTable } from './cli-output.js';
import type { Ctl } from './ctl-context.js';
import { collect, parseChoice, parseInteger } from './option-parsers.js';
import { parsePolicyRuleFile, ruleInputOf } from './policy-rule-file.js';

interface RuleFlags {
  file?: string;
  effect?: 'allow' | 'deny';
  description?: string;
  priority?: number;
  role?: string[];
  accountType?: string[];
  subject?: string;
  action?: string[];
  resourceType?: string;
  ownerMatchesSubject?: boolean;
  serviceName?: string[];
  requiredTag?: string[];
  enabled?: boolean;
  disabled?: boolean;
  notBefore?: Date | null;
  expiresAt?: Date | null;
}

const ruleHelp = `
A rule matches when every filter it sets matches (an empty filter matches anything); rules run
in priority order (lowest first) and the first match decides. For logins (action auth:login)
--service-name and --required-tag match the service the user logs in to.
--file takes the JSON that \`mciasctl --json policy get <id>\` prints (snake_case fields);
flags given with --file override the file. List flags are repeatable and comma-separated;
--role '' empties a list on update. --not-before/--expires-at take RFC 3339 times, or "none".
  $ mciasctl policy create --effect deny --action auth:login --service-name mcr \\
      --required-tag env:restricted --priority 10 --description "no logins to mcr from restricted"
  $ mciasctl --json policy get 3 > rule.json && $EDITOR rule.json && mciasctl policy update 3 --file rule.json`;

/** registerPolicyCommands adds `policy list|get|create|update|delete`. */
export function registerPolicyCommands(program: Command, ctl: Ctl): void {
  const policy = program
    .command('policy')
    .description('Manage the login/access policy rules (built-in rules have negative ids and are read-only).');

  policy
    .command('list')
    .description('List all rules in evaluation order.')
    .action(() =>
      ctl.withSession('required', async ({ client }) => {
        const rules = [...(await client.listPolicyRules())].sort((a, b) => a.priority - b.priority || a.id - b.id);
        if (ctl.json) return printJson(rules);
        print(
          renderTable(
            ['ID', 'PRIORITY', 'EFFECT', 'ENABLED', 'ROLES', 'TYPES', 'ACTIONS', 'SERVICES', 'TAGS', 'DESCRIPTION'],
            rules.map((r) => [
              r.id,
              r.priority,
              r.effect,
              r.enabled ? 'yes' : 'no',
              r.roles,
              r.accountTypes,
              r.actions,
              r.serviceNames,
              r.requiredTags,
              r.description,
            ]),
          ),
        );
      }),
    );

  policy
    .command('get')
    .description('Show one rule.')
    .argument('<id>', 'rule id', parseInteger)
    .action((id: number) =>
      ctl.withSession('required', async ({ client }) => {
        const rule = await client.getPolicyRule(id);
        if (ctl.json) return printJson(rule);
        showRule(rule);
      }),
    );

  addRuleFlags(policy.command('create').description('Add a rule, from --file or from flags (--effect is required).'))
    .addHelpText('after', ruleHelp)
    .action((flags: RuleFlags) =>
      ctl.withSession('required', async ({ client }) => {
        const base = flags.file !== undefined ? await parsePolicyRuleFile(flags.file) : undefined;
        if (!base && !flags.effect) throw new InvalidRequestError('a new rule needs --effect allow|deny (or --file rule.json)');
        const rule = await client.createPolicyRule(applyFlags(base ?? { effect: flags.effect ?? 'allow' }, flags));
        if (ctl.json) return printJson(rule);
        note(`created rule ${rule.id}`);
        showRule(rule);
      }),
    );

  addRuleFlags(
    policy
      .command('update')
      .description('Change a rule: the flags given change those fields; --file replaces the whole rule.')
      .argument('<id>', 'rule id', parseInteger),
  )
    .addHelpText('after', ruleHelp)
    .action((id: number, flags: RuleFlags) =>
      ctl.withSession('required', async ({ client }) => {
        const base =
          flags.file !== undefined ? await parsePolicyRuleFile(flags.file) : ruleInputOf(await client.getPolicyRule(id));
        const rule = await client.updatePolicyRule(id, applyFlags(base, flags));
        if (ctl.json) return printJson(rule);
        note(`updated rule ${rule.id}`);
        showRule(rule);
      }),
    );

  policy
    .command('delete')
    .description('Delete an operator rule.')
    .argument('<id>', 'rule id', parseInteger)
    .action((id: number) =>
      ctl.withSession('required', async ({ client }) => {
        await client.deletePolicyRule(id);
        note(`deleted rule ${id}`);
      }),
    );
}

function addRuleFlags(command: Command): Command {
  return command
    .option('--file <path>', 'the rule as JSON (see below)')
    .addOption(new Option('--effect <effect>', 'allow or deny').argParser(parseChoice(['allow', 'deny'] as const)))
    .option('--description <text>', 'what the rule is for')
    .option('--priority <n>', 'lower runs first (default 0)', parseInteger)
    .option('--role <role>', 'the subject holds one of these roles', collect)
    .option('--account-type <type>', 'human or system', collect)
    .option('--subject <uuid>', 'only this account')
    .option('--action <action>', 'e.g. auth:login, accounts:read', collect)
    .option('--resource-type <type>', 'the target resource type')
    .option('--owner-matches-subject', 'the target must belong to the subject')
    .option('--no-owner-matches-subject', 'the target need not belong to the subject')
    .option('--service-name <name>', 'for auth:login: the service logged in to', collect)
    .option('--required-tag <tag>', 'for auth:login: the service carries all these tags', collect)
    .option('--enabled', 'the rule is in force (default)')
    .option('--disabled', 'the rule is ignored')
    .option('--not-before <time>', 'ignored before this time', parseOptionalInstant)
    .option('--expires-at <time>', 'ignored from this time on', parseOptionalInstant);
}

/** applyFlags overlays the flags that were given on a rule. */
function applyFlags(base: PolicyRuleInput, f: RuleFlags): PolicyRuleInput {
  if (f.enabled === true && f.disabled === true) throw new InvalidRequestError('give --enabled or --disabled, not both');
  const rule: { -readonly [K in keyof PolicyRuleInput]: PolicyRuleInput[K] } = { ...base };
  if (f.effect !== undefined) rule.effect = f.effect;
  if (f.description !== undefined) rule.description = f.description;
  if (f.priority !== undefined) rule.priority = f.priority;
  if (f.role !== undefined) rule.roles = f.role;
  if (f.accountType !== undefined) rule.accountTypes = f.accountType;
  if (f.subject !== undefined) rule.subjectUuid = f.subject;
  if (f.action !== undefined) rule.actions = f.action;
  if (f.resourceType !== undefined) rule.resourceType = f.resourceType;
  if (f.ownerMatchesSubject !== undefined) rule.ownerMatchesSubject = f.ownerMatchesSubject;
  if (f.serviceName !== undefined) rule.serviceNames = f.serviceName;
  if (f.requiredTag !== undefined) rule.requiredTags = f.requiredTag;
  if (f.enabled === true) rule.enabled = true;
  if (f.disabled === true) rule.enabled = false;
  if (f.notBefore !== undefined) {
    if (f.notBefore === null) delete rule.notBefore;
    else rule.notBefore = f.notBefore;
  }
  if (f.expiresAt !== undefined) {
    if (f.expiresAt === null) delete rule.expiresAt;
    else rule.expiresAt = f.expiresAt;
  }
  return rule;
}

function parseOptionalInstant(value: string): Date | null {
  if (value === 'none' || value === '') return null;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(`"${value}" is not an RFC 3339 time like 2025-06-01T00:00:00Z (or "none").`);
  return new Date(ms);
}

function showRule(r: PolicyRule): void {
  print(
    renderFields([
      ['Id', r.id],
      ['Description', r.description],
      ['Effect', r.effect],
      ['Priority', r.priority],
      ['Enabled', r.enabled ? 'yes' : 'no'],
      ['Built in', r.builtin ? 'yes' : 'no'],
      ['Roles', r.roles],
      ['Account types', r.accountTypes],
      ['Subject', r.subjectUuid],
      ['Actions', r.actions],
      ['Resource type', r.resourceType],
      ['Owner = subject', r.ownerMatchesSubject ? 'yes' : 'no'],
      ['Service names', r.serviceNames],
      ['Required tags', r.requiredTags],
      ['Not before', r.notBefore],
      ['Expires at', r.expiresAt],
    ]),
  );
}
