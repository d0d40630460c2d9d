/**
 * Runs once when the server starts: loads the leaderboard's board into the (process-wide) cache in the
 * background, so the first visitor does not pay for reading every score. Not awaited, so start-up is
 * not delayed; a failure is only logged (the pages report an unreachable database themselves).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getBoard } = await import('./src/board.ts');
  getBoard()
    .then((board) => board.values('zero'))
    .catch((e: unknown) => {
      console.error(
        `alignscope-web: board warm-up skipped (${String((e as Error)?.message).split('\n')[0]})`,
      );
    });
}
