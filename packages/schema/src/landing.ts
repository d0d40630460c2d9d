/**
 * A landing page that needs no internet (Apollo's default one loads from a CDN): a query editor that
 * posts to the same URL, with links to the schema. Everything inline.
 */
export function landingPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AlignScope GraphQL API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;max-width:70rem;color:#1b1b1b}
h1{font-size:1.3rem;margin:0 0 .5rem}
textarea,pre{font:13px/1.4 ui-monospace,monospace;width:100%;box-sizing:border-box}
textarea{height:14rem;padding:.5rem}
pre{background:#f4f4f4;padding:.5rem;min-height:8rem;white-space:pre-wrap;overflow:auto}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
button{font:inherit;padding:.3rem 1rem;margin:.5rem 0}
</style>
</head>
<body>
<main>
<h1>AlignScope GraphQL API</h1>
<p>POST <code>{"query": "...", "variables": {...}}</code> as <code>application/json</code> to this URL.
Mutations need <code>Authorization: Bearer &lt;api key&gt;</code>. Introspection is on; the printed schema
is <code>packages/schema/schema.graphql</code> in the repository.</p>
<label for="q">Query</label>
<textarea id="q" spellcheck="false">{
  leaderboard(root: "average_vision", first: 10) {
    totalCount
    edges { node { rank score model { identifier displayName } } }
  }
}</textarea>
<label for="v">Variables (JSON)</label>
<textarea id="v" spellcheck="false" style="height:4rem">{}</textarea>
<label for="k">API key (only for mutations)</label>
<input id="k" type="password" autocomplete="off" style="width:100%">
<button id="run" type="button">Run</button>
<label for="out">Result</label>
<pre id="out" role="status" aria-live="polite"></pre>
</main>
<script>
document.getElementById('run').addEventListener('click', async () => {
  const out = document.getElementById('out');
  out.textContent = '...';
  let variables = {};
  try { variables = JSON.parse(document.getElementById('v').value || '{}'); }
  catch (e) { out.textContent = 'variables are not valid JSON: ' + e.message; return; }
  const headers = { 'content-type': 'application/json' };
  const key = document.getElementById('k').value.trim();
  if (key) headers.authorization = 'Bearer ' + key;
  try {
    const res = await fetch(location.pathname, { method: 'POST', headers,
      body: JSON.stringify({ query: document.getElementById('q').value, variables }) });
    out.textContent = res.status + '\\n' + JSON.stringify(await res.json(), null, 2);
  } catch (e) { out.textContent = String(e); }
});
</script>
</body>
</html>
`;
}
