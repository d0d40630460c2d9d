import type { Database } from '@alignscope/db';
import { cellIntervals } from '@alignscope/db/queries';
import type { Metadata } from 'next';
import { asOfDate, asOfLabel, parseAsOf } from '../src/as-of.ts';
import { type Board, getBoardAt } from '../src/board.ts';
import { BoardControls } from '../src/components/BoardControls.tsx';
import { LeaderboardTable } from '../src/components/LeaderboardTable.tsx';
import { Legend } from '../src/components/Legend.tsx';
import { getDb } from '../src/db.ts';
import { type Intervals, intervalsByCell } from '../src/intervals.ts';
import { leaderboardView, leafColumns } from '../src/leaderboard.ts';
import { hrefFor, type Params, parseState, serializeState } from '../src/view-state.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Leaderboard · AlignScope' };

function boardIntervals(board: Board, db: Database, at: Date | undefined): Promise<Intervals> {
  const slot = board.memo('web:intervals', () => ({ read: undefined as Promise<Intervals> | undefined }));
  if (!slot.read) {
    const leaves = board.nodes.filter((n) => n.children.length === 0).map((n) => n.id);
    const read = cellIntervals(db, { benchmarkIds: leaves, asOf: at }).then(intervalsByCell);
    slot.read = read;
    read.catch(() => {
      if (slot.read === read) slot.read = undefined;
    });
  }
  return slot.read;
}

export default async function Leaderboard({ searchParams }: { searchParams: Promise<Params> }) {
  const state = parseState(await searchParams);
  const asOf = parseAsOf(state.asOf);
  const at = asOfDate(asOf);
  const board = await getBoardAt(at);
  const { db } = await getDb();
  // Every leaf's intervals, read once per board (data version or as-of time) when a leaf column is
  // shown; a failed read is not kept.
  const intervals: Intervals =
    leafColumns(board, state).length === 0 ? new Map() : await boardIntervals(board, db, at);
  const view = leaderboardView(board, state, intervals);
  const query = serializeState(state);
  const rankLabel = board.node.get(view.rankColumn)?.label ?? view.rankColumn;

  return (
    <section>
      <h1>Leaderboard</h1>
      <p className="lead">
        Vision models scored on Brain-Score's neural and behavioral alignment benchmarks, engineering
        benchmarks and AutoAttack robustness. Expand a group to see its benchmarks; click a column to sort;
        every view is a link.
      </p>
      {at ? (
        <p className="notice" data-testid="as-of-notice">
          The board as of <strong>{asOfLabel(at, state.asOf)}</strong>: each cell shows the value chosen among
          the versions recorded by then, each benchmark at the version it had then.{' '}
          <a href={hrefFor(state, { asOf: '' })}>Show the board now</a>.
        </p>
      ) : null}
      {view.totalModels === 0 ? (
        <div className="empty" data-testid="empty-board">
          <h2>No models yet</h2>
          <p>
            Import published results with <code>alignscope import</code>, evaluate an ONNX model with{' '}
            <code>alignscope evaluate</code>, or <a href="/submit">submit results</a> with an API key. The
            benchmark tree ({board.nodes.length} benchmarks and groups) is ready: see{' '}
            <a href="/benchmarks">the benchmarks</a>.
          </p>
        </div>
      ) : (
        <>
          <BoardControls
            key={query}
            state={state}
            families={view.families}
            regimes={view.regimes}
            searchError={view.searchError}
            asOfError={asOf && 'error' in asOf ? asOf.error : null}
          />
          <Legend missing={state.missing} />
          {view.rows.length === 0 ? (
            <div className="empty" data-testid="empty-filter">
              <h2>No model matches these filters</h2>
              <p>
                {view.totalModels} models are on the board. Loosen the search or the filters, or{' '}
                <a href="/">reset the view</a>.
              </p>
            </div>
          ) : (
            <LeaderboardTable
              columns={view.columns}
              rows={view.rows}
              modelSortHref={view.modelSortHref}
              modelSorted={view.modelSorted}
              rankLabel={rankLabel}
              stateQuery={query}
              showIntervals={state.ci}
              hasIntervals={view.hasIntervals}
              ciToggleHref={hrefFor(state, { ci: !state.ci })}
            />
          )}
          <p className="muted small">
            Rank is on {rankLabel} among the models shown (ties share a rank). Scores are ceiled and clipped
            to [0, 1] for alignment benchmarks, raw for engineering and robustness; a group is the
            equal-weight mean of its children, with missing children{' '}
            {state.missing === 'zero' ? 'counted as 0' : 'skipped'}. A benchmark score's uncertainty interval
            (exact binomial 95 % for accuracies, a seeded bootstrap over trials for shape bias and error
            consistency, the source's error for imports) is in its tooltip and, with "Show intervals", in the
            cell; ≈ beside a rank marks a model whose interval on the rank column overlaps other ranks'. A
            column compares like with like: only scores of the benchmark's current version (with a date, the
            version it had then), whichever source wrote them; the other versions and sources are on each
            model's page.
          </p>
        </>
      )}
    </section>
  );
}
