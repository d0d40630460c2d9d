'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useRef } from 'react';
import { type BoardState, hrefFor } from '../view-state.ts';

/**
 * The leaderboard's filters. A plain GET form (works without JavaScript); with JavaScript it navigates
 * to the canonical URL of the new state, keeping sort order and open column groups.
 */
export function BoardControls({
  state,
  families,
  regimes,
  searchError,
  asOfError,
}: {
  state: BoardState;
  families: string[];
  regimes: string[];
  searchError: string | null;
  /** Why the asOf parameter was not used (malformed), or null. */
  asOfError: string | null;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);

  // "/" focuses the search box (as on GitHub), unless the user is typing somewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      e.preventDefault();
      document.getElementById('q')?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    const el = form.current;
    if (!el) return;
    const f = new FormData(el);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const n = (k: string) => {
      const v = text(k);
      return v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
    };
    router.push(
      hrefFor(state, {
        q: text('q'),
        family: text('family'),
        regime: text('regime'),
        pmin: n('pmin'),
        pmax: n('pmax'),
        robust: f.get('robust') === '1',
        missing: text('missing') === 'skip' ? 'skip' : 'zero',
        // The date field shows the day of a date-time asOf: an unchanged day keeps the time.
        asOf: text('asOf') === state.asOf.slice(0, 10) ? state.asOf : text('asOf'),
      }),
      { scroll: false },
    );
  };
  const submitNow = () => form.current?.requestSubmit();

  return (
    <form ref={form} action="/" method="get" className="controls" onSubmit={apply} aria-label="Filters">
      <div className="field grow">
        <label htmlFor="q">Search</label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={state.q}
          placeholder='resnet  family:vit  regime:adversarial  params>25M  -"shape"'
          aria-describedby="q-help"
          aria-invalid={searchError ? true : undefined}
          data-testid="search"
        />
        <small id="q-help" className={searchError ? 'error' : 'muted'}>
          {searchError ??
            'Press / to search. Words match name, architecture or family; family:, regime:, arch:, data:, name: match a field (a|b for either); params>25M, params<=1B; a leading - negates.'}
        </small>
      </div>
      <div className="field">
        <label htmlFor="family">Family</label>
        <select
          id="family"
          name="family"
          defaultValue={state.family}
          onChange={submitNow}
          data-testid="family"
        >
          <option value="">all</option>
          {families.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="regime">Training regime</label>
        <select
          id="regime"
          name="regime"
          defaultValue={state.regime}
          onChange={submitNow}
          data-testid="regime"
        >
          <option value="">all</option>
          {regimes.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field range">
        <legend>Parameters (millions)</legend>
        <label htmlFor="pmin" className="sr-only">
          Minimum parameters in millions
        </label>
        <input
          id="pmin"
          name="pmin"
          type="number"
          min={0}
          step="any"
          defaultValue={state.pmin ?? ''}
          placeholder="min"
        />
        <span aria-hidden="true">–</span>
        <label htmlFor="pmax" className="sr-only">
          Maximum parameters in millions
        </label>
        <input
          id="pmax"
          name="pmax"
          type="number"
          min={0}
          step="any"
          defaultValue={state.pmax ?? ''}
          placeholder="max"
        />
      </fieldset>
      <div className="field check">
        <input
          id="robust"
          name="robust"
          type="checkbox"
          value="1"
          defaultChecked={state.robust}
          onChange={submitNow}
          data-testid="robust"
        />
        <label htmlFor="robust">Has a robustness result</label>
      </div>
      <fieldset className="field">
        <legend>Missing scores</legend>
        <label>
          <input
            type="radio"
            name="missing"
            value="zero"
            defaultChecked={state.missing === 'zero'}
            onChange={submitNow}
          />{' '}
          count as 0
        </label>{' '}
        <label>
          <input
            type="radio"
            name="missing"
            value="skip"
            defaultChecked={state.missing === 'skip'}
            onChange={submitNow}
            data-testid="missing-skip"
          />{' '}
          skip
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="asOf">Board as of (UTC)</label>
        <input
          id="asOf"
          name="asOf"
          type="date"
          defaultValue={/^\d{4}-\d{2}-\d{2}/.test(state.asOf) ? state.asOf.slice(0, 10) : ''}
          aria-describedby="asOf-help"
          aria-invalid={asOfError ? true : undefined}
          data-testid="as-of"
        />
        <small id="asOf-help" className={asOfError ? 'error' : 'muted'}>
          {asOfError ?? 'Empty: now. A date shows the values recorded by the end of that day.'}
        </small>
      </div>
      <input type="hidden" name="sort" value={state.sort} />
      <input type="hidden" name="dir" value={state.dir} />
      <input type="hidden" name="open" value={state.open.join(',')} />
      {state.ci ? <input type="hidden" name="ci" value="1" /> : null}
      <div className="field actions">
        <button type="submit">Apply</button>
        <a href="/">Reset</a>
      </div>
    </form>
  );
}
