'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { fmt, modelHref, sequentialColor } from '../format.ts';
import type { CellStatus, Column, Row } from '../leaderboard.ts';

/** Rows beyond which only the visible rows are rendered. */
const VIRTUALIZE_AFTER = 300;
const ROW_HEIGHT = 33;
/** Rows with intervals printed under the values. */
const ROW_HEIGHT_CI = 46;

const STATUS_TEXT: Record<CellStatus, string> = {
  s: 'scored',
  p: 'partial',
  f: 'failed',
  n: 'not-run',
  m: 'missing',
};

/** An interval as the table prints it: "[0.012, 0.099]". */
export function fmtInterval(iv: [number, number]): string {
  return `[${fmt(iv[0])}, ${fmt(iv[1])}]`;
}

function Cell({
  value,
  status,
  column,
  interval,
  showInterval,
  historyHref,
}: {
  value: number | null;
  status: CellStatus;
  column: Column;
  interval: [number, number] | null;
  showInterval: boolean;
  /** A benchmark's cell links to its history on the model page (groups have none). */
  historyHref: string | null;
}) {
  if (value !== null) {
    return (
      <td
        className={`cell num st-${status}`}
        style={{ background: sequentialColor(value, column.min, column.max) }}
        title={
          status === 'p'
            ? 'partial: some benchmarks under this group have no score'
            : interval
              ? `interval ${fmtInterval(interval)}`
              : undefined
        }
      >
        {historyHref ? (
          <a className="cell-link" href={historyHref} data-testid="cell-history">
            {fmt(value)}
          </a>
        ) : (
          fmt(value)
        )}
        {status === 'p' ? <sup aria-hidden="true">*</sup> : null}
        {showInterval && interval ? (
          <span className="ci" data-testid="cell-ci">
            {fmtInterval(interval)}
          </span>
        ) : null}
      </td>
    );
  }
  if (status === 'f') return <td className="cell st-f">✕ failed</td>;
  if (status === 'n') return <td className="cell st-n">not run</td>;
  return (
    <td className="cell st-m">
      <span aria-hidden="true">·</span>
      <span className="sr-only">no score</span>
    </td>
  );
}

function toCsvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The current view as CSV: the rows and columns shown, full-precision values, status words for empty
 * cells; a column with intervals is followed by `<column>_ci_low` and `<column>_ci_high` (empty where
 * a cell has none).
 */
export function viewToCsv(columns: Column[], rows: Row[]): string {
  const withCi = columns.map((_, i) => rows.some((r) => r.intervals[i] != null));
  const header = [
    'rank',
    'model',
    'name',
    ...columns.flatMap((c, i) =>
      withCi[i] ? [c.identifier, `${c.identifier}_ci_low`, `${c.identifier}_ci_high`] : [c.identifier],
    ),
  ];
  const lines = [header.map(toCsvField).join(',')];
  for (const r of rows) {
    const cells = r.values.flatMap((v, i) => {
      const text = v !== null ? String(v) : STATUS_TEXT[(r.statuses[i] ?? 'm') as CellStatus];
      if (!withCi[i]) return [text];
      const iv = r.intervals[i];
      return [text, iv ? String(iv[0]) : '', iv ? String(iv[1]) : ''];
    });
    lines.push(
      [r.rank === null ? '' : String(r.rank), r.identifier, r.displayName, ...cells]
        .map(toCsvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function viewToJson(columns: Column[], rows: Row[], state: string): string {
  return JSON.stringify(
    {
      view: state,
      columns: columns.map((c) => ({ identifier: c.identifier, label: c.label, domain: c.domain })),
      rows: rows.map((r) => ({
        rank: r.rank,
        model: r.identifier,
        name: r.displayName,
        scores: Object.fromEntries(
          columns.map((c, i) => [
            c.identifier,
            {
              value: r.values[i] ?? null,
              status: STATUS_TEXT[(r.statuses[i] ?? 'm') as CellStatus],
              ciLow: r.intervals[i]?.[0] ?? null,
              ciHigh: r.intervals[i]?.[1] ?? null,
            },
          ]),
        ),
      })),
    },
    null,
    2,
  );
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function sortIndicator(s: 'asc' | 'desc' | null) {
  return s === 'asc' ? ' ▲' : s === 'desc' ? ' ▼' : '';
}

function ariaSort(s: 'asc' | 'desc' | null) {
  return s === 'asc' ? 'ascending' : s === 'desc' ? 'descending' : undefined;
}

export function LeaderboardTable({
  columns,
  rows,
  modelSortHref,
  modelSorted,
  rankLabel,
  stateQuery,
  showIntervals,
  hasIntervals,
  ciToggleHref,
}: {
  columns: Column[];
  rows: Row[];
  modelSortHref: string;
  modelSorted: 'asc' | 'desc' | null;
  rankLabel: string;
  stateQuery: string;
  /** Print each cell's interval under its value (`ci=1`). */
  showIntervals: boolean;
  /** Whether any visible cell has an interval (else the toggle is not offered). */
  hasIntervals: boolean;
  /** The URL of the view with the intervals toggled. */
  ciToggleHref: string;
}) {
  const scrollRef = useRef<HTMLElement>(null);
  // Marks the table interactive once React has hydrated it (the performance script waits for this).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const virtual = rows.length > VIRTUALIZE_AFTER;
  const rowHeight = showIntervals ? ROW_HEIGHT_CI : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Before hydration measures the container, render a first screenful.
    initialRect: { width: 1200, height: 800 },
  });

  // Header groups: one per root, robustness benchmarks split by data set and threat model.
  const groups: { key: string; label: string; span: number; domain: string }[] = [];
  for (const c of columns) {
    const key = `${c.root}|${c.group}`;
    const last = groups.at(-1);
    if (last && last.key === key) last.span++;
    else groups.push({ key, label: c.group, span: 1, domain: c.domain });
  }

  const items = virtual ? virtualizer.getVirtualItems() : [];
  const shown: { row: Row; index: number }[] = virtual
    ? items.map((it) => ({ row: rows[it.index] as Row, index: it.index }))
    : rows.map((row, index) => ({ row, index }));
  const padTop = virtual ? (items[0]?.start ?? 0) : 0;
  const padBottom = virtual ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    <>
      <div className="toolbar">
        <span data-testid="row-count">
          {rows.length} model{rows.length === 1 ? '' : 's'} shown
        </span>
        <button
          type="button"
          data-testid="export-csv"
          onClick={() => download('alignscope-leaderboard.csv', 'text/csv', viewToCsv(columns, rows))}
        >
          Export CSV
        </button>
        <button
          type="button"
          data-testid="export-json"
          onClick={() =>
            download('alignscope-leaderboard.json', 'application/json', viewToJson(columns, rows, stateQuery))
          }
        >
          Export JSON
        </button>
        {hasIntervals || showIntervals ? (
          <Link href={ciToggleHref} scroll={false} data-testid="toggle-ci">
            {showIntervals ? 'Hide intervals' : 'Show intervals'}
          </Link>
        ) : null}
      </div>
      <section
        className="board-scroll"
        ref={scrollRef}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        aria-label="Leaderboard table"
        data-hydrated={hydrated ? 'true' : undefined}
      >
        <table className="board" data-testid="leaderboard" aria-rowcount={rows.length + 2}>
          <thead>
            <tr className="group-row">
              <th rowSpan={2} className="pin pin-rank" scope="col">
                <span title={`Rank on ${rankLabel}`}>Rank</span>
              </th>
              <th rowSpan={2} className="pin pin-model" scope="col" aria-sort={ariaSort(modelSorted)}>
                <Link href={modelSortHref} scroll={false} data-testid="sort-model">
                  Model{sortIndicator(modelSorted)}
                </Link>
              </th>
              {groups.map((g) => (
                <th key={g.key} colSpan={g.span} scope="colgroup" className={`group dom-${g.domain}`}>
                  {g.label}
                </th>
              ))}
            </tr>
            <tr className="col-row">
              {columns.map((c) => (
                <th
                  key={c.identifier}
                  scope="col"
                  className={`col dom-${c.domain} depth-${Math.min(c.depth, 3)}`}
                  aria-sort={ariaSort(c.sorted)}
                  data-col={c.identifier}
                >
                  <div className="col-head">
                    {c.toggleHref ? (
                      <Link
                        href={c.toggleHref}
                        scroll={false}
                        className="toggle"
                        aria-expanded={c.open}
                        aria-label={`${c.open ? 'Collapse' : 'Expand'} ${c.label}`}
                        data-testid={`toggle-${c.identifier}`}
                      >
                        {c.open ? '▾' : '▸'}
                      </Link>
                    ) : null}
                    <Link
                      href={c.sortHref}
                      scroll={false}
                      data-testid={`sort-${c.identifier}`}
                      title={c.identifier}
                    >
                      {c.label}
                      {sortIndicator(c.sorted)}
                    </Link>
                  </div>
                  {c.hasChildren ? (
                    <div className="count">
                      {c.leafCount} benchmark{c.leafCount === 1 ? '' : 's'}
                    </div>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 ? (
              <tr className="spacer">
                <td style={{ height: padTop }} colSpan={columns.length + 2} />
              </tr>
            ) : null}
            {shown.map(({ row, index }) => (
              <tr
                key={row.identifier}
                data-model={row.identifier}
                aria-rowindex={index + 3}
                style={{ height: rowHeight }}
              >
                <td className="pin pin-rank num">
                  {row.rank ?? '–'}
                  {row.overlap ? (
                    <span
                      className="overlap"
                      title={`interval overlaps ranks ${row.overlap[0]}–${row.overlap[1]}`}
                      data-testid="rank-overlap"
                    >
                      <span aria-hidden="true"> ≈</span>
                      <span className="sr-only">
                        {' '}
                        (interval overlaps ranks {row.overlap[0]}–{row.overlap[1]})
                      </span>
                    </span>
                  ) : null}
                </td>
                <th scope="row" className="pin pin-model">
                  <Link href={modelHref(row.identifier)}>{row.displayName}</Link>
                </th>
                {columns.map((c, i) => (
                  <Cell
                    key={c.identifier}
                    column={c}
                    value={row.values[i] ?? null}
                    status={(row.statuses[i] ?? 'm') as CellStatus}
                    interval={row.intervals[i] ?? null}
                    showInterval={showIntervals}
                    historyHref={
                      c.hasChildren
                        ? null
                        : `${modelHref(row.identifier)}?cell=${encodeURIComponent(c.identifier)}#history-${c.identifier}`
                    }
                  />
                ))}
              </tr>
            ))}
            {padBottom > 0 ? (
              <tr className="spacer">
                <td style={{ height: padBottom }} colSpan={columns.length + 2} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </>
  );
}
