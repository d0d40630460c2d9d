/**
 * The `asOf` URL parameter of the leaderboard and the correlation explorer: the board as it was at a
 * time. Written `YYYY-MM-DD` (the end of that day, UTC: everything recorded on the date counts) or as
 * an ISO date-time (`2026-12-01T12:00Z`, UTC when no offset is given). Pure: server and client use it.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

export type AsOf = { text: string; at: Date } | { text: string; error: string } | null;

/** Reads the parameter: null when absent or empty; an error (the board stays at now) when malformed. */
export function parseAsOf(text: string | undefined): AsOf {
  const t = text?.trim() ?? '';
  if (t === '') return null;
  let at: Date | null = null;
  if (DAY.test(t)) at = new Date(`${t}T23:59:59.999Z`);
  else if (DATE_TIME.test(t)) at = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`);
  // A date that does not exist (2026-02-30) rolls over in Date; the round trip catches it.
  if (!at || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== t.slice(0, 10)) {
    return {
      text: t,
      error: `asOf "${t.slice(0, 40)}" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC)`,
    };
  }
  return { text: t, at };
}

/** The time the board is read at, when the parameter names a valid one. */
export function asOfDate(a: AsOf): Date | undefined {
  return a && 'at' in a ? a.at : undefined;
}

/** How a page names the time: "2026-12-01" or "2026-12-01 12:00 UTC". */
export function asOfLabel(at: Date, text: string): string {
  return DAY.test(text) ? text : `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
