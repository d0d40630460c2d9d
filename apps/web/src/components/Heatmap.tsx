import { divergingColor } from '../format.ts';

/** `significant`: per cell, Benjamini–Hochberg-significant (marked * after the coefficient), where known. */
export type HeatmapRow = {
  id: string;
  label: string;
  group: string;
  cells: (number | null)[];
  significant?: boolean[];
};

/** Benchmark × robustness-target coefficients as an SVG grid (rows grouped), coefficient printed in each cell. */
export function Heatmap({
  rows,
  columns,
  title,
}: {
  rows: HeatmapRow[];
  columns: { id: string; label: string }[];
  title: string;
}) {
  const labelW = 250;
  const groupW = 90;
  const cellW = 74;
  const cellH = 22;
  const headH = 150;
  const width = groupW + labelW + cellW * columns.length + 160;
  const height = headH + cellH * rows.length + 10;
  const groups: { name: string; start: number; count: number }[] = [];
  rows.forEach((r, i) => {
    const g = groups.at(-1);
    if (g && g.name === r.group) g.count++;
    else groups.push({ name: r.group, start: i, count: 1 });
  });
  return (
    <div className="table-scroll">
      <svg
        className="chart-svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        fontSize={11}
        fill="currentColor"
      >
        {columns.map((c, j) => (
          <text
            key={c.id}
            transform={`translate(${groupW + labelW + j * cellW + cellW / 2}, ${headH - 6}) rotate(-35)`}
            textAnchor="start"
          >
            {c.label.length > 28 ? `${c.label.slice(0, 27)}…` : c.label}
          </text>
        ))}
        {groups.map((g) => (
          <g key={g.name}>
            <text x={4} y={headH + (g.start + g.count / 2) * cellH + 4} fontWeight={700}>
              {g.name}
            </text>
            <line
              x1={0}
              x2={width}
              y1={headH + g.start * cellH}
              y2={headH + g.start * cellH}
              stroke="currentColor"
              strokeOpacity={0.4}
            />
          </g>
        ))}
        {rows.map((r, i) => (
          <g key={r.id}>
            <text x={groupW} y={headH + i * cellH + cellH / 2 + 4}>
              {r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label}
            </text>
            {r.cells.map((v, j) => (
              <g key={columns[j]?.id ?? j}>
                <rect
                  x={groupW + labelW + j * cellW}
                  y={headH + i * cellH}
                  width={cellW - 2}
                  height={cellH - 2}
                  fill={v === null ? 'none' : divergingColor(v)}
                  stroke={v === null ? 'currentColor' : 'none'}
                  strokeOpacity={0.25}
                />
                <text
                  x={groupW + labelW + j * cellW + cellW / 2 - 1}
                  y={headH + i * cellH + cellH / 2 + 3}
                  textAnchor="middle"
                  fill={v === null ? 'currentColor' : '#111'}
                >
                  {v === null ? '–' : `${v.toFixed(2)}${r.significant?.[j] ? '*' : ''}`}
                </text>
              </g>
            ))}
          </g>
        ))}
      </svg>
    </div>
  );
}
