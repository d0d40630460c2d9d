import { SEQUENTIAL } from '../format.ts';

/** The leaderboard's legend: the colour scale and how the three score states (and gaps) look. */
export function Legend({ missing }: { missing: 'zero' | 'skip' }) {
  return (
    <div className="legend">
      <span className="legend-scale">
        <span>column low</span>
        {SEQUENTIAL.map((c) => (
          <span key={c} className="swatch" style={{ background: c }} aria-hidden="true" />
        ))}
        <span>column high</span>
      </span>
      <span className="legend-item">
        <span className="cell-sample st-s">0.512</span> scored
      </span>
      <span className="legend-item">
        <span className="cell-sample st-p">0.400*</span> partial group (some children without a score,{' '}
        {missing === 'zero' ? 'counted as 0' : 'skipped'})
      </span>
      <span className="legend-item">
        <span className="cell-sample st-f">✕ failed</span> evaluation failed
      </span>
      <span className="legend-item">
        <span className="cell-sample st-n">not run</span> not run yet
      </span>
      <span className="legend-item">
        <span className="cell-sample st-m">·</span> no result
      </span>
    </div>
  );
}
