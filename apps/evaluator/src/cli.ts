import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { InputError, isUserFacing } from './errors.ts';
import { VERSION } from './version.ts';

export type RegisterCommand = (program: Command) => void;

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

/** The program with every command of src/commands (one file per top-level command). */
export async function buildProgram(): Promise<Command> {
  const program = new Command()
    .name('alignscope')
    .description('AlignScope: are models that are more aligned with human vision also more robust?')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const files = readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(commandsDir, f)).href)) as {
      default?: RegisterCommand;
    };
    if (typeof mod.default !== 'function') throw new Error(`command module ${f} has no default export`);
    mod.default(program);
  }
  // Every subcommand exits through commander's exception, handled in main().
  const override = (c: Command) => {
    c.exitOverride();
    c.showHelpAfterError('(run with --help for usage)');
    for (const sub of c.commands) override(sub);
  };
  override(program);
  return program;
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isUserFacing(e)) {
      process.stderr.write(`alignscope: error: ${e.message}\n`);
      return e instanceof InputError ? e.exitCode : 1;
    }
    process.stderr.write(
      `alignscope: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 70;
  }
}
