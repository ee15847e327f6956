// Reporting test results: a readable console report, TAP 13, and JUnit XML (the dialect GitHub
// Actions test reporters, GitLab and Jenkins read: testsuites > testsuite > testcase > failure|error).
import path from 'node:path';
import { formatDiff } from './compare.js';
import type { CaseResult } from './runner.js';
import { whereText } from './spec.js';

export function caseName(r: CaseResult, cwd = process.cwd()): string {
  const rel = path.relative(cwd, r.spec.file) || r.spec.file;
  const on = r.engine === 'flink' ? ' [on Flink]' : '';
  return r.spec.docCount > 1 ? `${rel} #${r.spec.doc + 1} (${r.spec.name})${on}` : rel + on;
}

/** The failure text of a case: per step, per sink, missing and unexpected rows. */
export function failureText(r: CaseResult, cwd = process.cwd()): string {
  if (r.status === 'pass') return '';
  const lines: string[] = [];
  if (r.message) lines.push(r.message);
  for (const f of r.failures) {
    lines.push(`at ${f.where}${f.at ? ` — ${whereText(f.at, cwd)}` : ''}:`);
    for (const d of f.diffs) lines.push(formatDiff(d, '  '));
  }
  return lines.join('\n');
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

export function consoleReport(results: CaseResult[], cwd = process.cwd(), opts: { update?: boolean; verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const r of results) {
    const label = r.status === 'pass' ? 'PASS ' : r.status === 'fail' ? 'FAIL ' : 'ERROR';
    const upd = opts.update && r.updated ? `, ${r.updated} row${r.updated === 1 ? '' : 's'} written` : '';
    out.push(`${label} ${caseName(r, cwd)} (${ms(r.durationMs)}${upd})`);
    if (opts.verbose) for (const n of r.notes) out.push(`    · ${n}`);
    if (r.status !== 'pass') out.push(failureText(r, cwd).replace(/^/gm, '    '));
  }
  const pass = results.filter((r) => r.status === 'pass').length;
  const fail = results.filter((r) => r.status === 'fail').length;
  const err = results.filter((r) => r.status === 'error').length;
  const total = results.reduce((n, r) => n + r.durationMs, 0);
  const parts = [`${pass} passed`];
  if (fail) parts.push(`${fail} failed`);
  if (err) parts.push(`${err} could not run`);
  out.push('', `Specs: ${parts.join(', ')} (${results.length} total) in ${ms(total)}`);
  return out.join('\n') + '\n';
}

export function tapReport(results: CaseResult[], cwd = process.cwd()): string {
  const out = ['TAP version 13', `1..${results.length}`];
  results.forEach((r, i) => {
    out.push(`${r.status === 'pass' ? 'ok' : 'not ok'} ${i + 1} - ${caseName(r, cwd).replace(/#/g, '\\#')}`);
    const yaml = ['  ---', `  duration_ms: ${Math.round(r.durationMs)}`];
    if (r.status !== 'pass') {
      yaml.push(`  severity: ${r.status === 'error' ? 'error' : 'fail'}`);
      yaml.push('  message: |-');
      for (const l of failureText(r, cwd).split('\n')) yaml.push(`    ${l}`);
    }
    yaml.push('  ...');
    out.push(...yaml);
  });
  const fail = results.filter((r) => r.status !== 'pass').length;
  out.push(`# tests ${results.length}`, `# pass ${results.length - fail}`, `# fail ${fail}`);
  return out.join('\n') + '\n';
}

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function junitReport(results: CaseResult[], cwd = process.cwd()): string {
  const failures = results.filter((r) => r.status === 'fail').length;
  const errors = results.filter((r) => r.status === 'error').length;
  const time = (results.reduce((n, r) => n + r.durationMs, 0) / 1000).toFixed(3);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tsstream test" tests="${results.length}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="tsstream test" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time}" timestamp="${new Date().toISOString().slice(0, 19)}">`,
  ];
  for (const r of results) {
    const file = path.relative(cwd, r.spec.file) || r.spec.file;
    const attrs = `classname="${xmlEscape(file)}" name="${xmlEscape(r.spec.name)}" file="${xmlEscape(file)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.status === 'pass') {
      out.push(`    <testcase ${attrs}/>`);
      continue;
    }
    const text = failureText(r, cwd);
    const first = text.split('\n')[0] ?? '';
    const tag = r.status === 'fail' ? 'failure' : 'error';
    out.push(`    <testcase ${attrs}>`);
    out.push(`      <${tag} message="${xmlEscape(first)}" type="${r.status === 'fail' ? 'RowsMismatch' : 'SpecError'}">${xmlEscape(text)}</${tag}>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
