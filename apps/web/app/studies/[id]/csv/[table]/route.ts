import { STUDY_TABLES, type StudyTable, studyCsv } from '@alignscope/analysis';
import { loadStudy } from '../../../../../src/studies.ts';

export const dynamic = 'force-dynamic';

/** GET /studies/<id>/csv/<table>.csv: one table of the study's stored result as a CSV file. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; table: string }> }) {
  const { id, table } = await ctx.params;
  const stem = table.endsWith('.csv') ? table.slice(0, -4) : table;
  if (!STUDY_TABLES.includes(stem as StudyTable)) {
    return new Response(`no table "${stem}" (tables: ${STUDY_TABLES.join(', ')})\n`, {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const found = await loadStudy(id);
  if (!found) {
    return new Response(`no study ${id}\n`, {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  if (!found.result) {
    return new Response(
      `study ${found.study.name}@${found.study.version} has no result yet (${found.study.status})\n`,
      {
        status: 409,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      },
    );
  }
  const file = `${found.study.name}-v${found.study.version}-${stem}.csv`;
  return new Response(studyCsv(found.result, stem as StudyTable), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    },
  });
}
