// A board worker thread (workers.ts starts it). Sources are TypeScript, loaded through tsx's ESM
// hooks, as bin/alignscope.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
