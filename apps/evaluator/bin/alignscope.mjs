#!/usr/bin/env node
// The `alignscope` command. Sources are TypeScript, loaded through tsx's ESM hooks.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
// Exit explicitly with the command's status: libraries' exit hooks must not turn a failure into 0.
process.exit(await main(process.argv));
