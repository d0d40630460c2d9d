import type { Metadata } from 'next';
import Form from 'next/form';
import { getBoard } from '../../src/board.ts';
import { benchmarkHref, fmt, modelHref } from '../../src/format.ts';
import type { Params } from '../../src/view-state.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare models · AlignScope' };

const SLOTS = 4;
const SLOT_IDS = ['first', 'second', 'third', 'fourth'] as const;

export default async function ComparePage({ searchParams }: { searchParams: Promise<Params> }) {
  const sp = await searchParams;
  const missing = sp.missing === 'skip' ? 'skip' : 'zero';
  const requested = (Array.isArray(sp.m) ? sp.m : sp.m ? [sp.m] : []).filter((m) => m !== '');
  const board = await getBoard();
  const byId = new Map(board.models.map((m) => [m.identifier, m]));
  const chosen = [...new Set(requested)].filter((m) => byId.has(m)).slice(0, SLOTS);
  const unknown = requested.filter((m) => !byId.has(m));
  const values = board.values(missing);

  return (
    <section>
      <h1>Compare models</h1>
      <p className="lead">
        Two to four models side by side over the benchmark tree. The best value in each row is highlighted; Δ
        is the difference to the first model.
      </p>
      {board.models.length < 2 ? (
        <div className="empty" data-testid="empty-compare">
          <h2>Not enough models</h2>
          <p>
            Comparing needs at least two models on the board. Import results with{' '}
            <code>alignscope import</code> or <a href="/submit">submit results</a>.
          </p>
        </div>
      ) : (
        <>
          <Form action="/compare" className="controls" aria-label="Models to compare">
            {SLOT_IDS.map((slot, i) => (
              <div className="field" key={slot}>
                <label htmlFor={`m${i}`}>Model {i + 1}</label>
                <select id={`m${i}`} name="m" defaultValue={chosen[i] ?? ''} data-testid={`compare-${i}`}>
                  <option value="">–</option>
                  {board.models.map((m) => (
                    <option key={m.identifier} value={m.identifier}>
                      {m.displayName}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div className="field">
              <label htmlFor="missing">Missing children</label>
              <select id="missing" name="missing" defaultValue={missing}>
                <option value="zero">count as 0</option>
                <option value="skip">skip</option>
              </select>
            </div>
            <div className="field actions">
              <button type="submit">Compare</button>
            </div>
          </Form>
          {unknown.length ? <p className="notice bad">Unknown model: {unknown.join(', ')}</p> : null}
          {chosen.length < 2 ? (
            <div className="empty">
              <p>Choose at least two models above.</p>
            </div>
          ) : (
            <div className="table-scroll">
              <table className="data" data-testid="compare-table">
                <thead>
                  <tr>
                    <th scope="col">Benchmark</th>
                    {chosen.map((m) => (
                      <th key={m} scope="col" className="num">
                        <a href={modelHref(m)}>{byId.get(m)?.displayName}</a>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {board.nodes.map((n) => {
                    const vals = chosen.map((m) => values.get(m)?.[n.identifier]?.value ?? null);
                    const present = vals.filter((v): v is number => v !== null);
                    const best = present.length > 1 ? Math.max(...present) : null;
                    const allEqual = present.length > 1 && present.every((v) => v === present[0]);
                    const first = vals[0] ?? null;
                    return (
                      <tr key={n.identifier} data-benchmark={n.identifier}>
                        <th
                          scope="row"
                          style={{
                            paddingLeft: `${0.6 + n.depth * 1.1}rem`,
                            fontWeight: n.children.length ? 600 : 400,
                          }}
                        >
                          <a href={benchmarkHref(n.identifier)}>{n.label}</a>
                        </th>
                        {vals.map((v, i) => {
                          const status = values.get(chosen[i] as string)?.[n.identifier]?.status ?? 'missing';
                          const isBest = v !== null && best !== null && !allEqual && v === best;
                          const delta = i > 0 && v !== null && first !== null ? v - first : null;
                          return (
                            <td key={chosen[i]} className={`num${isBest ? ' better' : ''}`}>
                              {v === null ? <span className="muted">{status}</span> : fmt(v)}
                              {delta !== null && Math.abs(delta) >= 0.0005 ? (
                                <span className="small">
                                  {' '}
                                  (Δ {delta > 0 ? '+' : ''}
                                  {fmt(delta)})
                                </span>
                              ) : null}
                              {isBest ? <span className="sr-only"> (best)</span> : null}
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
