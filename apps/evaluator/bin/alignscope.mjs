#!/usr/bin/env node
// The `alignscope` command. Sources are TypeScript, loaded through tsx's ESM hooks.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
const { exitAfterFlush } = await import('../src/exit.ts');
// A reader that closes the pipe early (`| head`) must not crash the command with EPIPE.
process.stdout.on('error', () => {});
// Exit explicitly with the command's status (libraries' exit hooks must not turn a failure into
// 0), but only after stdout has drained: a pipe takes large output asynchronously.
await exitAfterFlush(await main(process.argv));
