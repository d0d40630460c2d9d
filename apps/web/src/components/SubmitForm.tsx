'use client';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { modelHref } from '../format.ts';
import { graphql } from '../generated/gql.ts';
import type { TypedDocumentString, WebSubmitResultsMutation } from '../generated/graphql.ts';
import {
  type LeafInfo,
  MAX_FILE_BYTES,
  MAX_SCORES,
  type ModelFields,
  type ParsedUpload,
  parseUpload,
  rowOfPath,
  type ScoreRow,
  toSubmitInput,
  validateModel,
  validateRows,
} from '../submission.ts';

/** The API's UserError (an expected failure returned as data), as the mutation selects it. */
type ServerError = WebSubmitResultsMutation['submitResults']['errors'][number];

const SUBMIT = graphql(`
  mutation WebSubmitResults($input: SubmitResultsInput!) {
    submitResults(input: $input) {
      ok
      duplicate
      model { identifier displayName }
      submission { id }
      errors { code message path }
    }
  }
`);

const REQUEST = graphql(`
  mutation WebRequestEvaluation($model: String!, $benchmarks: [String!]!) {
    requestEvaluation(model: $model, benchmarks: $benchmarks) {
      ok
      request { id status createdAt model { identifier } benchmarks { identifier } }
      errors { code message path }
    }
  }
`);

/** Runs one typed operation (generated from the schema: src/generated) on /api/graphql with the key. */
async function execute<R, V>(key: string, document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const res = await fetch('/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.trim()}` },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  let body: { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new Error(
      `the API answered ${res.status} ${res.statusText} without JSON (is /api/graphql deployed?)`,
    );
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new Error(
      `${e?.extensions?.code ? `${e.extensions.code}: ` : ''}${e?.message ?? 'request failed'}`,
    );
  }
  if (!body.data) throw new Error(`the API answered ${res.status} without data`);
  return body.data;
}

const MODEL_FIELDS: [keyof ModelFields, string][] = [
  ['identifier', 'Identifier (required)'],
  ['displayName', 'Display name'],
  ['architecture', 'Architecture'],
  ['family', 'Family'],
  ['trainingRegime', 'Training regime'],
  ['trainingData', 'Training data'],
  ['parameters', 'Parameters'],
  ['source', 'Source'],
  ['license', 'Licence'],
];

function KeyField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="as_…"
        data-testid="api-key"
        size={40}
      />
    </div>
  );
}

export function SubmitForm({ leaves }: { leaves: (LeafInfo & { label: string })[] }) {
  const [key, setKey] = useState('');
  const [model, setModel] = useState<ModelFields>({});
  const [upload, setUpload] = useState<(ParsedUpload & { name: string }) | null>(null);
  const [serverErrors, setServerErrors] = useState<ServerError[]>([]);
  const [result, setResult] = useState<{ ok: boolean; text: string; href?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const rows: ScoreRow[] = upload ? validateRows(upload.rows, leaves) : [];
  const rowErrorsFromServer = new Map<number, string[]>();
  for (const e of serverErrors) {
    const i = rowOfPath(e.path);
    if (i !== null) rowErrorsFromServer.set(i, [...(rowErrorsFromServer.get(i) ?? []), e.message]);
  }
  const mergedModel: ModelFields = {
    ...(upload?.model ?? {}),
    ...Object.fromEntries(Object.entries(model).filter(([, v]) => v !== '' && v !== undefined)),
  };
  const modelErrors = validateModel(mergedModel);
  const badRows = rows.filter((r) => r.errors.length > 0).length;
  const tooMany = rows.length > MAX_SCORES;
  const canSubmit =
    !busy &&
    upload !== null &&
    upload.fileErrors.length === 0 &&
    rows.length > 0 &&
    badRows === 0 &&
    !tooMany &&
    modelErrors.length === 0 &&
    key.trim() !== '';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    setResult(null);
    setServerErrors([]);
    const file = e.target.files?.[0];
    if (!file) return setUpload(null);
    if (file.size > MAX_FILE_BYTES) {
      setUpload({
        rows: [],
        model: {},
        provenance: null,
        fileErrors: [`the file is larger than ${MAX_FILE_BYTES / 1e6} MB`],
        name: file.name,
      });
      return;
    }
    setUpload({ ...parseUpload(await file.text(), file.name), name: file.name });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!upload || !canSubmit) return;
    setBusy(true);
    setResult(null);
    setServerErrors([]);
    try {
      const input = toSubmitInput(
        {
          ...mergedModel,
          ...(mergedModel.parameters !== undefined ? { parameters: Number(mergedModel.parameters) } : {}),
        },
        rows,
        upload.provenance,
      );
      const data = await execute(key, SUBMIT, { input });
      const r = data.submitResults;
      if (r.ok && r.model) {
        setResult({
          ok: true,
          text: r.duplicate
            ? `Already submitted: nothing changed for ${r.model.displayName}.`
            : `Accepted: ${rows.length} score${rows.length === 1 ? '' : 's'} written for ${r.model.displayName}.`,
          href: modelHref(r.model.identifier),
        });
      } else {
        setServerErrors(r.errors);
        setResult({
          ok: false,
          text: `Refused, nothing was written (${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}).`,
        });
      }
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="form-row">
        <KeyField value={key} onChange={setKey} />
        <p className="muted small">
          Used by every form on this page; kept only in this tab, sent only to this site.
        </p>
      </div>
      <form onSubmit={submit} aria-labelledby="submit-results" className="submit-form">
        <h2 id="submit-results">Submit results</h2>
        <p className="muted small">
          A JSON file with the API's input (
          <code>{'{ "model": {…}, "scores": [{ "benchmark", "value", … }] }'}</code>) or a CSV file with the
          header <code>benchmark,status,value,rawValue,error,ceiling</code>. Scores are of leaf benchmarks;{' '}
          <code>value</code> is the ceiled score for ceiled (alignment) benchmarks and the raw score
          otherwise. Everything is checked here and again on the server; a submission is all or nothing.
        </p>
        <fieldset className="form-row">
          <legend>Model (fields here override those in a JSON file)</legend>
          {MODEL_FIELDS.map(([f, label]) => (
            <div className="field" key={f}>
              <label htmlFor={`model-${f}`}>{label}</label>
              <input
                id={`model-${f}`}
                data-testid={`model-${f}`}
                type={f === 'parameters' ? 'number' : 'text'}
                min={f === 'parameters' ? 0 : undefined}
                value={model[f] ?? ''}
                onChange={(e) =>
                  setModel({
                    ...model,
                    [f]:
                      f === 'parameters'
                        ? e.target.value === ''
                          ? undefined
                          : Number(e.target.value)
                        : e.target.value,
                  })
                }
              />
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="results-file">Results file (JSON or CSV, up to 2 MB, {MAX_SCORES} scores)</label>
          <input
            id="results-file"
            type="file"
            accept=".json,.csv,application/json,text/csv"
            onChange={onFile}
            data-testid="results-file"
          />
        </div>
        {upload?.fileErrors.length ? (
          <div className="notice bad" role="alert" data-testid="file-errors">
            {upload.name}: {upload.fileErrors.join('; ')}
          </div>
        ) : null}
        {modelErrors.length && upload ? (
          <p className="error" data-testid="model-errors">
            {modelErrors.join('; ')}
          </p>
        ) : null}
        {rows.length > 0 ? (
          <>
            <h3>Preview</h3>
            <p data-testid="preview-summary" className={badRows || tooMany ? 'error' : 'muted'}>
              {rows.length} row{rows.length === 1 ? '' : 's'}
              {badRows ? `, ${badRows} with errors: fix the file and choose it again` : ', all valid'}
              {tooMany ? `; at most ${MAX_SCORES} scores per submission` : ''}.
            </p>
            <div className="table-scroll" style={{ maxHeight: '22rem', overflowY: 'auto' }}>
              <table className="data" data-testid="preview">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Benchmark</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Value
                    </th>
                    <th scope="col" className="num">
                      Raw
                    </th>
                    <th scope="col">Problems</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => {
                    const errs = [...r.errors, ...(rowErrorsFromServer.get(i) ?? [])];
                    return (
                      <tr
                        key={`${r.line}-${r.benchmark}`}
                        className={errs.length ? 'row-error' : undefined}
                        data-line={r.line}
                      >
                        <td>{r.line}</td>
                        <td>{r.benchmark || '–'}</td>
                        <td>{r.status}</td>
                        <td className="num">{r.value ?? '–'}</td>
                        <td className="num">{r.rawValue ?? '–'}</td>
                        <td data-testid="row-errors">{errs.join('; ') || 'ok'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
        {serverErrors.filter((e) => rowOfPath(e.path) === null).length ? (
          <ul className="error" data-testid="server-errors">
            {serverErrors
              .filter((e) => rowOfPath(e.path) === null)
              .map((e) => (
                <li key={`${e.code}-${e.message}`}>{e.message}</li>
              ))}
          </ul>
        ) : null}
        <div className="form-row">
          <button type="submit" disabled={!canSubmit} data-testid="submit">
            {busy ? 'Submitting…' : 'Submit results'}
          </button>
          {!key.trim() && upload ? (
            <span className="muted small">An API key is needed to submit.</span>
          ) : null}
        </div>
        {result ? (
          <div className={`notice${result.ok ? '' : ' bad'}`} role="status" data-testid="submit-result">
            {result.text} {result.href ? <a href={result.href}>See the model</a> : null}
          </div>
        ) : null}
      </form>
      <EvaluationRequest apiKey={key} leaves={leaves} />
    </>
  );
}

function EvaluationRequest({ apiKey, leaves }: { apiKey: string; leaves: (LeafInfo & { label: string })[] }) {
  const [modelId, setModelId] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; href?: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const data = await execute(apiKey, REQUEST, { model: modelId.trim(), benchmarks: chosen });
      const r = data.requestEvaluation;
      setOutcome(
        r.ok && r.request
          ? {
              ok: true,
              text: `Request ${r.request.id} recorded: status ${r.request.status} (${r.request.createdAt}).`,
              href: `${modelHref(modelId.trim())}#evaluations`,
            }
          : { ok: false, text: r.errors.map((x) => x.message).join('; ') },
      );
    } catch (err) {
      setOutcome({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <UploadModel apiKey={apiKey} onUploaded={setModelId} />
      <form onSubmit={submit} aria-labelledby="request-eval">
        <h2 id="request-eval">Request an evaluation</h2>
        <p className="muted small">
          For a model the platform holds an ONNX file of (uploaded above, or registered with{' '}
          <code>alignscope models add</code>) that your key owns, or any such model with an admin key.
        </p>
        <div className="form-row">
          <div className="field">
            <label htmlFor="eval-model">Model identifier</label>
            <input
              id="eval-model"
              value={modelId}
              onChange={(e) => setModelId(e.target.value)}
              data-testid="eval-model"
            />
          </div>
        </div>
        <fieldset>
          <legend>Benchmarks</legend>
          <div className="checks">
            {leaves.map((l) => (
              <label key={l.identifier}>
                <input
                  type="checkbox"
                  checked={chosen.includes(l.identifier)}
                  onChange={(e) =>
                    setChosen(
                      e.target.checked ? [...chosen, l.identifier] : chosen.filter((c) => c !== l.identifier),
                    )
                  }
                />{' '}
                {l.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-row">
          <button type="submit" disabled={busy || !apiKey.trim() || !modelId.trim() || chosen.length === 0}>
            {busy ? 'Requesting…' : 'Request evaluation'}
          </button>
        </div>
        {outcome ? (
          <div className={`notice${outcome.ok ? '' : ' bad'}`} role="status" data-testid="eval-result">
            {outcome.text}{' '}
            {outcome.href ? <a href={outcome.href}>Follow its status on the model page</a> : null}
          </div>
        ) : null}
      </form>
    </>
  );
}

const MAX_MODEL_MB = 256;

/** Upload of an ONNX model with its card to /api/models (checked by the evaluator on the server). */
function UploadModel({ apiKey, onUploaded }: { apiKey: string; onUploaded: (identifier: string) => void }) {
  const [model, setModel] = useState<File | null>(null);
  const [card, setCard] = useState<{ name: string; text: string } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; href?: string } | null>(null);

  const check = (m: File | null, c: { name: string; text: string } | null) => {
    const out: string[] = [];
    if (m && m.size > MAX_MODEL_MB * 1024 * 1024)
      out.push(`the model file is larger than ${MAX_MODEL_MB} MB`);
    if (m && !m.name.toLowerCase().endsWith('.onnx')) out.push('the model file should be an .onnx file');
    if (c) {
      try {
        const j = JSON.parse(c.text) as Record<string, unknown>;
        for (const f of ['name', 'displayName', 'inputShape', 'inputRange', 'labelSpace', 'preprocessing'])
          if (j[f] === undefined) out.push(`the card has no "${f}"`);
      } catch (e) {
        out.push(`the card is not valid JSON (${(e as Error).message})`);
      }
    }
    setProblems(out);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!model || !card) return;
    setBusy(true);
    setOutcome(null);
    try {
      const body = new FormData();
      body.set('model', model);
      body.set('card', card.text);
      const res = await fetch('/api/models', {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey.trim()}` },
        body,
      });
      const data = (await res.json()) as {
        ok: boolean;
        model?: { identifier: string; created: boolean; bytes: number; labelSpace: string };
        errors: { message: string }[];
      };
      if (data.ok && data.model) {
        onUploaded(data.model.identifier);
        setOutcome({
          ok: true,
          text: `${data.model.created ? 'Registered' : 'Updated'} ${data.model.identifier} (${data.model.bytes} bytes, ${data.model.labelSpace}); it passed the evaluator's checks.`,
          href: modelHref(data.model.identifier),
        });
      } else
        setOutcome({ ok: false, text: data.errors.map((x) => x.message).join('; ') || `HTTP ${res.status}` });
    } catch (err) {
      setOutcome({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="upload-model">
      <h2 id="upload-model">Upload an ONNX model</h2>
      <p className="muted small">
        An ONNX classifier (up to {MAX_MODEL_MB} MB) and its model card (JSON: name, displayName, inputShape,
        inputRange, normalizationInside, preprocessing, labelSpace…). The server checks them as{' '}
        <code>alignscope models add</code> does (the card's sha256, onnxruntime loads the file, the input is
        [N, 3, H, W] as the card says, a dummy batch gives one score per class of the label space); the model
        then belongs to your key.
      </p>
      <div className="form-row">
        <div className="field">
          <label htmlFor="onnx-file">ONNX file</label>
          <input
            id="onnx-file"
            type="file"
            accept=".onnx"
            data-testid="onnx-file"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setModel(f);
              check(f, card);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="card-file">Model card (JSON)</label>
          <input
            id="card-file"
            type="file"
            accept=".json,application/json"
            data-testid="card-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              const c = f ? { name: f.name, text: await f.text() } : null;
              setCard(c);
              check(model, c);
            }}
          />
        </div>
        <button
          type="submit"
          data-testid="upload-model"
          disabled={busy || !apiKey.trim() || !model || !card || problems.length > 0}
        >
          {busy ? 'Checking…' : 'Upload and check'}
        </button>
      </div>
      {problems.length ? (
        <p className="error" data-testid="upload-problems">
          {problems.join('; ')}
        </p>
      ) : null}
      {outcome ? (
        <div className={`notice${outcome.ok ? '' : ' bad'}`} role="status" data-testid="upload-result">
          {outcome.text} {outcome.href ? <a href={outcome.href}>See the model</a> : null}
        </div>
      ) : null}
    </form>
  );
}
