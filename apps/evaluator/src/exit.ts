/**
 * Ending the process without losing output. When stdout is a pipe Node writes to it
 * asynchronously, so `process.exit()` right after a large `write` cuts the output at whatever the
 * pipe had taken (64-80 KiB): `alignscope … --json | jq` then reads broken JSON. Every exit of
 * the CLI goes through `exitAfterFlush`, which waits until stdout and stderr have handed every
 * pending byte to the operating system.
 */

/** Resolves once every write queued on `stream` before this call has completed (or failed). */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  // Writes complete in order, so the callback of an empty write runs after all earlier ones.
  // A closed reader (`| head`) fails the write with EPIPE: nothing more can be delivered then.
  return new Promise((resolve) => {
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

/** Exits with `code` after stdout and stderr have drained. */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
