// The web dashboard's pages, rendered on the server: the jobs of $TSSTREAM_HOME, and per job its
// plan as a graph of operators (inline SVG) with live counts and watermarks, Kafka positions,
// the checkpoint history, the last exceptions and the configuration (secrets masked). A small
// inline script polls the job's JSON (GET /v1/jobs/<id>) and updates the page; nothing is
// loaded from elsewhere.
import type { JobRecord } from '../jobs/registry.js';
import type { JobView, OperatorView } from './monitor.js';

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function wmText(ms: number | null): string {
  if (ms === null) return '-';
  if (ms >= 9223372036854775807) return 'end';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
header{background:#1d2733;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline}
header a{color:#9cc3ff}
main{padding:16px 20px}
h2{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;background:#fff;min-width:420px}
td,th{border:1px solid #d7dde3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e9eef3}
.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:600}
.RUNNING{color:#1a7f37}.FAILED{color:#cf222e}.CANCELED,.STOPPED,.FINISHED{color:#57606a}
svg{background:#fff;border:1px solid #d7dde3}
.op rect{fill:#eef5ff;stroke:#4a78b5;rx:6}
.op.Source rect{fill:#e9f7ee;stroke:#2f8f4e}.op.Sink rect{fill:#fff4e5;stroke:#c47a12}
.op text{font-size:12px;fill:#1d2733}
.op .name{font-weight:600}
.edge{fill:none;stroke:#8796a5;stroke-width:1.5}
.exc{background:#fff;border-left:4px solid #cf222e;padding:6px 10px;margin:6px 0;white-space:pre-wrap}
.controls{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
#control-result{margin-left:8px}
.muted{color:#57606a}
`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** The jobs of $TSSTREAM_HOME (this process's and others'), each with a link to its dashboard. */
export function overviewPage(records: JobRecord[], home: string): string {
  const rows = records
    .map((r) => {
      const link = r.dashboard && (r.status === 'RUNNING' || r.status === 'CREATED') ? `<a href="${esc(r.dashboard)}">${esc(r.id)}</a>` : esc(r.id);
      return `<tr><td>${link}</td><td>${esc(r.name)}</td><td class="status ${esc(r.status)}">${esc(r.status)}</td><td>${esc(new Date(r.startTime).toISOString().replace('T', ' ').slice(0, 19))}</td><td class="num">${r.recordsIn}</td><td class="num">${r.recordsOut}</td><td>${esc(r.watermark === null ? '-' : wmText(Math.floor(r.watermark / 1000)))}</td><td>${r.lastCheckpointId === undefined ? '-' : `#${r.lastCheckpointId}`}</td></tr>`;
    })
    .join('\n');
  return page(
    'tsstream jobs',
    `<header><strong>tsstream</strong><span>Jobs of ${esc(home)}</span></header>
<main><table id="jobs"><thead><tr><th>Job id</th><th>Name</th><th>Status</th><th>Start time</th><th>Rows in</th><th>Rows out</th><th>Watermark</th><th>Last checkpoint</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8" class="muted">No jobs.</td></tr>'}</tbody></table></main>`,
  );
}

const BOX_W = 230;
const BOX_H = 66;
const COL = 290;
const ROW = 92;

/** Positions: sources on the left, sinks on the right, one column per distance from the sink. */
function layout(ops: OperatorView[]): { x: number; y: number }[] {
  const depth = ops.map(() => 0);
  for (const o of ops) if (o.downstream >= 0) depth[o.index] = depth[o.downstream] + 1; // build order: parents first
  const max = Math.max(0, ...depth);
  const rows = new Map<number, number>();
  return ops.map((o) => {
    const d = depth[o.index];
    const r = rows.get(d) ?? 0;
    rows.set(d, r + 1);
    return { x: 10 + (max - d) * COL, y: 10 + r * ROW };
  });
}

function graphSvg(ops: OperatorView[]): string {
  const pos = layout(ops);
  const w = Math.max(...pos.map((p) => p.x)) + BOX_W + 10;
  const h = Math.max(...pos.map((p) => p.y)) + BOX_H + 10;
  const edges = ops
    .filter((o) => o.downstream >= 0)
    .map((o) => {
      const a = pos[o.index];
      const b = pos[o.downstream];
      const x1 = a.x + BOX_W;
      const y1 = a.y + BOX_H / 2;
      const x2 = b.x;
      const y2 = b.y + BOX_H / 2;
      const mx = (x1 + x2) / 2;
      return `<path class="edge" marker-end="url(#arrow)" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}"/>`;
    })
    .join('');
  const nodes = ops
    .map((o) => {
      const p = pos[o.index];
      // The table's own name in the box (catalog and database in the tooltip).
      const short = o.name.replace(/^(Source|Sink): (?:[^.]+\.)*/, '$1: ');
      const name = short.length > 34 ? `${short.slice(0, 33)}…` : short;
      return `<g class="op ${esc(o.kind)}" id="op-${o.index}" transform="translate(${p.x},${p.y})"><title>${esc(o.name)} (${esc(o.id)})</title>
<rect width="${BOX_W}" height="${BOX_H}" rx="6"/>
<text class="name" x="8" y="17">${esc(name)}</text>
<text x="8" y="36">in <tspan data-op="${o.index}" data-f="numRecordsIn">${o.numRecordsIn}</tspan> · out <tspan data-op="${o.index}" data-f="numRecordsOut">${o.numRecordsOut}</tspan> · <tspan data-op="${o.index}" data-f="numRecordsInPerSecond">${Math.round(o.numRecordsInPerSecond)}</tspan>/s</text>
<text x="8" y="55">wm <tspan data-op="${o.index}" data-f="currentOutputWatermark">${esc(wmText(o.currentOutputWatermark))}</tspan></text></g>`;
    })
    .join('\n');
  return `<svg id="graph" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="operator graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8796a5"/></marker></defs>
${edges}
${nodes}</svg>`;
}

function checkpointRows(v: JobView): string {
  return [...v.checkpoints.history]
    .reverse()
    .map(
      (c) =>
        `<tr><td class="num">${c.id}${c.savepoint ? ' (savepoint)' : ''}</td><td>${esc(new Date(c.triggerTime).toISOString().replace('T', ' ').replace('Z', ''))}</td><td class="num">${c.durationMs} ms</td><td class="num">${c.sizeBytes} B</td><td>${c.commits.map((x) => `${esc(x.sink)} → ${esc(x.target)}: ${esc(x.detail)}`).join('<br>') || '-'}</td></tr>`,
    )
    .join('\n');
}

function exceptionItems(v: JobView): string {
  return [...v.exceptions]
    .reverse()
    .map((e) => `<div class="exc"><strong>${esc(new Date(e.time).toISOString())}</strong> ${esc(e.message)}${e.causes.map((c) => `\nCaused by: ${esc(c)}`).join('')}</div>`)
    .join('\n');
}

function splitRows(v: JobView): string {
  return v.operators
    .flatMap((o) =>
      o.splits.map(
        (s) =>
          `<tr><td>${esc(o.name)}</td><td>${esc(s.split)}</td><td class="num">${s.currentOffset}</td><td class="num">${s.committedOffset ?? '-'}</td><td class="num">${s.endOffset ?? '-'}</td><td class="num">${s.lag ?? '-'}</td></tr>`,
      ),
    )
    .join('\n');
}

/** The page of one job of this process. */
export function jobPage(v: JobView): string {
  const config = Object.entries(v.config)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, val]) => `<tr><td>${esc(k)}</td><td>${esc(val)}</td></tr>`)
    .join('\n');
  const body = `<header><a href="/">tsstream</a><strong id="job-name">${esc(v.name)}</strong><span class="muted">${esc(v.id)}</span>
<span class="status ${esc(v.status)}" id="job-status">${esc(v.status)}</span></header>
<main>
<div>Rows in <strong id="job-in">${v.recordsIn}</strong> · out <strong id="job-out">${v.recordsOut}</strong> · watermark <strong id="job-wm">${esc(wmText(v.watermark))}</strong> ·
restarts <strong id="job-restarts">${v.restarts}</strong> · busy <span id="job-busy">${Math.round(v.busyTimeMsPerSecond)}</span> ms/s · back-pressured <span id="job-bp">${Math.round(v.backPressuredTimeMsPerSecond)}</span> ms/s</div>
<h2>Plan</h2>
${graphSvg(v.operators)}
<h2>Source partitions</h2>
<table id="splits"><thead><tr><th>Source</th><th>Partition</th><th>Position</th><th>Committed</th><th>End</th><th>Lag</th></tr></thead><tbody>${splitRows(v)}</tbody></table>
<h2>Checkpoints</h2>
<div>Completed <strong id="cp-completed">${v.checkpoints.completed}</strong> · failed <strong id="cp-failed">${v.checkpoints.failed}</strong></div>
<table id="checkpoints"><thead><tr><th>Id</th><th>Triggered</th><th>Duration</th><th>Size</th><th>Committed</th></tr></thead><tbody>${checkpointRows(v)}</tbody></table>
<h2>Exceptions</h2>
<div id="exceptions">${exceptionItems(v) || '<span class="muted">None.</span>'}</div>
<h2>Control</h2>
<div class="controls"><label>Job token <input id="token" type="password" size="52" autocomplete="off" placeholder="contents of the job's token file"></label>
<button id="btn-savepoint">Savepoint</button><button id="btn-stop">Stop with savepoint</button><button id="btn-cancel">Cancel</button><span id="control-result"></span></div>
<p class="muted">Viewing needs no token; the buttons do. The token is in ${esc(v.tokenFile ?? "the job's token file")} (readable by the job's owner only).</p>
<h2>Configuration</h2>
<table id="config"><thead><tr><th>Key</th><th>Value</th></tr></thead><tbody>${config}</tbody></table>
</main>`;
  return page(`${v.name} · tsstream`, body, SCRIPT.replace('__JOB__', JSON.stringify(v.id)));
}

// Polls the job's JSON and updates the page; builds table rows with textContent (never markup).
const SCRIPT = `
(function(){
var id=__JOB__;
function wm(ms){if(ms===null)return '-';if(ms>=9223372036854775807)return 'end';return new Date(ms).toISOString().replace('T',' ').replace('Z','');}
function set(elId,t){var e=document.getElementById(elId);if(e)e.textContent=t;}
function cell(tr,t,cls){var td=document.createElement('td');td.textContent=t;if(cls)td.className=cls;tr.appendChild(td);return td;}
function render(v){
 set('job-status',v.status);document.getElementById('job-status').className='status '+v.status;
 set('job-in',v.recordsIn);set('job-out',v.recordsOut);set('job-wm',wm(v.watermark));set('job-restarts',v.restarts);
 set('job-busy',Math.round(v.busyTimeMsPerSecond));set('job-bp',Math.round(v.backPressuredTimeMsPerSecond));
 v.operators.forEach(function(o){document.querySelectorAll('[data-op="'+o.index+'"]').forEach(function(e){var f=e.getAttribute('data-f');var x=o[f];e.textContent=f==='currentOutputWatermark'?wm(x):f==='numRecordsInPerSecond'?Math.round(x):x;});});
 var sb=document.querySelector('#splits tbody');sb.textContent='';
 v.operators.forEach(function(o){o.splits.forEach(function(s){var tr=document.createElement('tr');cell(tr,o.name);cell(tr,s.split);cell(tr,s.currentOffset,'num');cell(tr,s.committedOffset==null?'-':s.committedOffset,'num');cell(tr,s.endOffset==null?'-':s.endOffset,'num');cell(tr,s.lag==null?'-':s.lag,'num');sb.appendChild(tr);});});
 set('cp-completed',v.checkpoints.completed);set('cp-failed',v.checkpoints.failed);
 var cb=document.querySelector('#checkpoints tbody');cb.textContent='';
 v.checkpoints.history.slice().reverse().forEach(function(c){var tr=document.createElement('tr');cell(tr,c.id+(c.savepoint?' (savepoint)':''),'num');cell(tr,new Date(c.triggerTime).toISOString().replace('T',' ').replace('Z',''));cell(tr,c.durationMs+' ms','num');cell(tr,c.sizeBytes+' B','num');
  var td=cell(tr,'');if(!c.commits.length)td.textContent='-';c.commits.forEach(function(x,i){if(i)td.appendChild(document.createElement('br'));td.appendChild(document.createTextNode(x.sink+' \\u2192 '+x.target+': '+x.detail));});cb.appendChild(tr);});
 var ex=document.getElementById('exceptions');ex.textContent='';
 if(!v.exceptions.length){var n=document.createElement('span');n.className='muted';n.textContent='None.';ex.appendChild(n);}
 v.exceptions.slice().reverse().forEach(function(e){var d=document.createElement('div');d.className='exc';var b=document.createElement('strong');b.textContent=new Date(e.time).toISOString();d.appendChild(b);d.appendChild(document.createTextNode(' '+e.message+e.causes.map(function(c){return '\\nCaused by: '+c;}).join('')));ex.appendChild(d);});
}
var timer;
function poll(){fetch('/v1/jobs/'+id,{cache:'no-store'}).then(function(r){return r.ok?r.json():null;}).then(function(v){if(v)render(v);timer=setTimeout(poll,1000);},function(){timer=setTimeout(poll,2000);});}
timer=setTimeout(poll,1000);
function control(action){
 var out=document.getElementById('control-result');out.textContent=action+'…';
 fetch('/v1/jobs/'+id+'/'+action,{method:'POST',headers:{'authorization':'Bearer '+document.getElementById('token').value.trim(),'content-type':'application/json'},body:'{}'})
 .then(function(r){return r.json().then(function(b){return {ok:r.ok,b:b};});})
 .then(function(x){out.textContent=x.ok?(x.b.path?action+' done: '+x.b.path:action+' done'):'refused: '+x.b.error;if(x.ok){clearTimeout(timer);poll();}},function(e){out.textContent='failed: '+e;});
}
document.getElementById('btn-savepoint').onclick=function(){control('savepoint');};
document.getElementById('btn-stop').onclick=function(){control('stop');};
document.getElementById('btn-cancel').onclick=function(){control('cancel');};
})();
`;
