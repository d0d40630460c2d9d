/** The `asOf` and `sourceOrder` arguments (leaderboard, correlations, scatter, model, benchmark), checked. */
import type { ScoreSource as DbScoreSource, ScoreView } from '@alignscope/db/queries';
import { badInput } from '../errors.ts';
import type { ScoreSource } from '../generated/resolvers.generated.ts';
import { asDate } from './dates.ts';

/** A source order as the database names sources; an empty list or a source named twice is refused. */
export function sourceOrderIn(order: readonly ScoreSource[] | null | undefined): DbScoreSource[] | undefined {
  if (order === null || order === undefined) return undefined;
  if (order.length === 0) throw badInput('sourceOrder must name at least one source', 'sourceOrder');
  if (new Set(order).size !== order.length) {
    throw badInput('sourceOrder names a source twice', 'sourceOrder');
  }
  return order.map((s) => s.toLowerCase() as DbScoreSource);
}

/** The view the arguments ask for (empty: the current values). */
export function viewIn(args: {
  asOf?: Date | string | null;
  sourceOrder?: readonly ScoreSource[] | null;
}): ScoreView {
  const view: ScoreView = {};
  const asOf = asDate(args.asOf);
  const sourceOrder = sourceOrderIn(args.sourceOrder);
  if (asOf) view.asOf = asOf;
  if (sourceOrder) view.sourceOrder = sourceOrder;
  return view;
}
