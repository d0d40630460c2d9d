import type { Metadata } from 'next';
import { getBoard } from '../../src/board.ts';
import { SubmitForm } from '../../src/components/SubmitForm.tsx';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Submit · AlignScope' };

export default async function SubmitPage() {
  const board = await getBoard();
  const leaves = board.nodes
    .filter((n) => n.children.length === 0)
    .map((n) => ({ identifier: n.identifier, label: n.label, rangeMin: n.rangeMin, rangeMax: n.rangeMax }));
  return (
    <section>
      <h1>Submit</h1>
      <p className="lead">
        For holders of an API key (an operator creates one with <code>alignscope keys create</code>).
        Submissions go through the GraphQL API at <code>/api/graphql</code> with{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>; the same mutations work from scripts.
      </p>
      <SubmitForm leaves={leaves} />
      <h2>Leaf benchmarks</h2>
      <details>
        <summary>Identifiers and valid ranges</summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Identifier</th>
              <th scope="col">Name</th>
              <th scope="col">Range</th>
            </tr>
          </thead>
          <tbody>
            {leaves.map((l) => (
              <tr key={l.identifier}>
                <td>
                  <code>{l.identifier}</code>
                </td>
                <td>{l.label}</td>
                <td>
                  [{l.rangeMin ?? '−∞'}, {l.rangeMax ?? '∞'}]
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
