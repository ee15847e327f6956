// Helpers for the `tsstream test` tests: running the real CLI as a child process, a scratch
// folder with the queries/tests job files, and a small XML well-formedness checker.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/tsstream.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder holding a copy of queries/tests (jobs, fixtures, expected, specs). */
export function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-testing-'));
  cpSync(path.join(ROOT, 'queries/tests'), dir, { recursive: true });
  return dir;
}

export function write(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Parses XML strictly enough for a report: balanced tags, quoted attributes, valid entities; throws otherwise. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (m: string): never => {
    throw new Error(`XML: ${m} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const checkText = (s: string) => {
    if (s.includes('<')) fail('raw < in text');
    const amp = s.match(/&[^;\s]*;?/g) ?? [];
    for (const a of amp) if (!/^&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(a)) fail(`bad entity ${a}`);
  };
  if (text.startsWith('<?xml')) {
    i = text.indexOf('?>') + 2;
    if (i < 2) fail('unterminated declaration');
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    checkText(chunk);
    if (stack.length) stack[stack.length - 1].text += unescape(chunk);
    else if (chunk.trim()) fail('text outside the root element');
    if (lt < 0) break;
    i = lt;
    const gt = text.indexOf('>', i);
    if (gt < 0) fail('unterminated tag');
    const tag = text.slice(i + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`</${name}> does not close <${open?.name}>`);
    } else {
      const self = tag.endsWith('/');
      const body = self ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*$/.exec(body);
      if (!m) fail(`malformed tag <${tag}>`);
      const attrs: Record<string, string> = {};
      for (const a of m![2].matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
        if (a[1] in attrs) fail(`duplicate attribute ${a[1]}`);
        checkText(a[2]);
        attrs[a[1]] = unescape(a[2]);
      }
      const el: XmlElement = { name: m![1], attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) fail('second root element');
      else root = el;
      if (!self) stack.push(el);
    }
    i = gt + 1;
  }
  if (stack.length) fail(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}
