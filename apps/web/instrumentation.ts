/**
 * Runs once when the server starts: loads the leaderboard's board into the cache in the background,
 * so the first visitor does not pay for reading every score. Failures are ignored here (the page
 * reports an unreachable database itself).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getBoard } = await import('./src/board.ts');
  getBoard()
    .then((b) => b.values('zero'))
    .catch(() => {});
}
