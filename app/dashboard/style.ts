/** The dashboard's only stylesheet, inlined and allowed by its hash (no external assets). */
export const STYLE = `
:root { color-scheme: light; --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#f6f8fa; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:#fff; }
header { display:flex; gap:24px; align-items:center; padding:12px 24px; background:var(--bg); border-bottom:1px solid var(--line); }
header strong { font-size:16px; }
header nav a { margin-right:16px; color:var(--ink); text-decoration:none; }
header nav a[aria-current] { font-weight:600; border-bottom:2px solid var(--accent); }
header form { margin-left:auto; display:flex; gap:8px; align-items:center; color:var(--muted); }
main { padding:20px 24px; max-width:1200px; }
h1 { font-size:20px; margin:0 0 16px; }
h2 { font-size:16px; margin:24px 0 8px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:middle; }
th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
a { color:var(--accent); }
.state { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; border:1px solid var(--line); }
.state-succeeded { color:var(--ok); border-color:var(--ok); }
.state-failed, .state-refused { color:var(--bad); border-color:var(--bad); }
.state-cancelled { color:var(--warn); border-color:var(--warn); }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:end; margin-bottom:16px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
input, select, button { font:inherit; padding:4px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; }
button { background:var(--bg); cursor:pointer; }
.pager { margin-top:12px; display:flex; gap:16px; }
dl.facts { display:grid; grid-template-columns: max-content 1fr; gap:4px 16px; }
dl.facts dt { color:var(--muted); }
.empty { color:var(--muted); padding:24px 0; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.notice { padding:12px 16px; border:1px solid var(--line); border-radius:6px; background:var(--bg); max-width:720px; }
`;
