import type { Metadata } from 'next';
import { getBoard } from '../../src/board.ts';
import { benchmarkHref, DOMAIN_LABEL } from '../../src/format.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Benchmarks · AlignScope' };

export default async function BenchmarksPage() {
  const board = await getBoard();
  const values = board.values('skip');
  const scored = (id: string) => {
    let n = 0;
    for (const rec of values.values()) if (rec[id]?.value != null) n++;
    return n;
  };
  return (
    <section>
      <h1>Benchmarks</h1>
      <p className="lead">
        The benchmark tree: Brain-Score's neural and behavioral alignment benchmarks, engineering benchmarks,
        and robustness benchmarks (AutoAttack configurations). Groups are equal-weight means of their
        children.
      </p>
      {board.nodes.length === 0 ? (
        <div className="empty">
          <h2>No benchmarks</h2>
          <p>
            The catalog is written when the database is set up: run <code>alignscope db migrate</code>.
          </p>
        </div>
      ) : (
        <table className="data" data-testid="benchmark-tree">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              <th scope="col">Domain</th>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Models scored
              </th>
            </tr>
          </thead>
          <tbody>
            {board.nodes.map((n) => (
              <tr key={n.identifier}>
                <th
                  scope="row"
                  style={{
                    paddingLeft: `${0.6 + n.depth * 1.2}rem`,
                    fontWeight: n.children.length ? 600 : 400,
                  }}
                >
                  <a href={benchmarkHref(n.identifier)}>{n.label}</a>
                  {n.children.length ? (
                    <span className="muted small"> ({n.leafCount} benchmarks)</span>
                  ) : null}
                </th>
                <td>{DOMAIN_LABEL[n.domain]}</td>
                <td className="small">{n.metric ?? '–'}</td>
                <td className="num">{scored(n.identifier)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
