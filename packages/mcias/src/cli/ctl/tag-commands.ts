import type { Command } from 'commander';
import { note, print, printJson } from './cli-output.js';
import { resolveAccount, type Ctl } from './ctl-context.js';

/** registerTagCommands adds `tag list|set` (admin). */
export function registerTagCommands(program: Command, ctl: Ctl): void {
  const tag = program
    .command('tag')
    .description("Show and replace an account's tags (admin); login policy rules can require tags, e.g. env:prod.");

  tag
    .command('list')
    .description("List an account's tags, one per line.")
    .argument('<account>', 'username or account id')
    .action((ref: string) =>
      ctl.withSession('required', async ({ client }) => {
        const tags = await client.getTags((await resolveAccount(client, ref)).id);
        if (ctl.json) return printJson({ tags });
        if (tags.length > 0) print(tags.join('\n'));
        else note('(no tags)');
      }),
    );

  tag
    .command('set')
    .description("Replace an account's tags with the ones given (none: remove all).")
    .argument('<account>', 'username or account id')
    .argument('[tags...]', 'the complete new list; 1-128 characters of a-z, 0-9, ":", ".", "_", "-" each')
    .action((ref: string, tags: string[]) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        const now = await client.setTags(target.id, tags);
        if (ctl.json) return printJson({ tags: now });
        note(`tags of ${target.username}: ${now.length > 0 ? now.join(', ') : '(none)'}`);
      }),
    );
}
