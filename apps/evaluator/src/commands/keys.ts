import { createApiKey, listApiKeys, revokeApiKey } from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';

export default function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('API keys for authenticated writes (only their hashes are stored)');
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--admin', 'may write results for every model')
    .action(async (opts: { name: string; admin?: boolean }) => {
      if (!opts.name.trim()) throw new InputError('--name must not be empty');
      await withDb(async ({ db }) => {
        const { key, apiKey } = await createApiKey(db, { name: opts.name, isAdmin: opts.admin ?? false });
        console.error(
          `created key ${apiKey.id} (${apiKey.name}${apiKey.isAdmin ? ', admin' : ''}); it is shown only now:`,
        );
        console.log(key);
      });
    });
  keys
    .command('list')
    .description('list API keys (never the secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const rows = await listApiKeys(db);
        if (opts.json) return console.log(JSON.stringify(rows, null, 2));
        if (rows.length === 0)
          return console.log('no API keys (create one with `alignscope keys create --name <name>`)');
        console.log(['id', 'name', 'prefix', 'admin', 'created', 'last used', 'revoked'].join('\t'));
        for (const k of rows) {
          console.log(
            [
              k.id,
              k.name,
              `${k.prefix}…`,
              k.isAdmin ? 'yes' : 'no',
              k.createdAt.toISOString(),
              k.lastUsedAt?.toISOString() ?? '-',
              k.revokedAt?.toISOString() ?? '-',
            ].join('\t'),
          );
        }
      });
    });
  keys
    .command('revoke')
    .description('revoke an API key by id')
    .argument('<id>', 'key id (see `keys list`)')
    .action(async (id: string) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n <= 0) throw new InputError(`invalid key id "${id}"`);
      await withDb(async ({ db }) => {
        if (!(await revokeApiKey(db, n))) throw new InputError(`no active key with id ${n}`);
        console.log(`revoked key ${n}`);
      });
    });
}
