// The repository explains itself: a failed build is not hidden by `npm ci`, the README points
// only inside the repository, and docs/ARCHITECTURE.md names every folder of src/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('the repository', () => {
  it("package.json's prepare builds and lets a failed build fail the install", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toMatch(/tsc -p tsconfig\.build\.json/);
    expect(scripts.prepare).not.toMatch(/\|\||;\s*true|exit 0/);
    // Run as written on a project with a type error: the install must fail.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-prepare-'));
    writeFileSync(path.join(dir, 'tsconfig.build.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, files: ['bad.ts'] }));
    writeFileSync(path.join(dir, 'bad.ts'), "export const n: number = 'not a number';\n");
    const tsc = `'${process.execPath}' '${path.join(root, 'node_modules/typescript/bin/tsc')}'`;
    const r = (() => {
      try {
        execFileSync('bash', ['-c', scripts.prepare.replace(/^tsc\b/, tsc)], { cwd: dir, stdio: 'pipe' });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    expect(r).not.toBe(0);
  });

  it('README and docs link only to files inside the repository', () => {
    const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)];
    for (const d of docs) {
      const text = read(d);
      expect(text, d).not.toMatch(/\.\.\/shared|\/work\//);
      for (const m of text.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue; // a web address
        expect(target.startsWith('..') && path.resolve(root, path.dirname(d), target).startsWith(root + path.sep) === false, `${d} → ${target}`).toBe(false);
        expect(existsSync(path.resolve(root, path.dirname(d), target)), `${d} → ${target}`).toBe(true);
      }
    }
    expect(read('README.md')).toContain('docs/ARCHITECTURE.md');
  });

  it('docs/ARCHITECTURE.md describes every folder of src/', () => {
    const arch = read('docs/ARCHITECTURE.md');
    for (const d of readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      expect(arch, d.name).toContain(`src/${d.name}`);
    }
  });
});
