// The jars of a Java test peer, copied from Maven by its pom (`mvn dependency:copy-dependencies`)
// into HOME/lib-<hash of the pom>: one folder per pom content, so worktrees whose poms differ (one
// .peers) never delete each other's jars while a JVM of theirs loads classes from them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './peer.js';

function pomHash(pom: string): string {
  return createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 16);
}

/** HOME/lib-<hash of the pom>. */
export function jarsDir(home: string, pom: string): string {
  return path.join(home, `lib-${pomHash(pom)}`);
}

export function jarsInstalled(home: string, pom: string): boolean {
  try {
    return readFileSync(path.join(jarsDir(home, pom), '.installed'), 'utf8').trim() === pomHash(pom);
  } catch {
    return false;
  }
}

/**
 * Copies the pom's dependencies into a folder of this process and renames it to jarsDir() when
 * complete (checked to hold a jar matching `expect`): test runs installing at once never see a
 * half-filled or emptied folder.
 */
export async function installJars(
  home: string,
  pom: string,
  opts: { what: string; expect: RegExp; timeoutMs: number; log: (line: string) => void },
): Promise<string> {
  const lib = jarsDir(home, pom);
  if (jarsInstalled(home, pom)) return lib;
  mkdirSync(home, { recursive: true });
  const tmp = mkdtempSync(`${lib}.tmp-`);
  try {
    opts.log(`copying ${opts.what} into ${lib}`);
    await new Promise<void>((resolve, reject) => {
      execFile(
        'mvn',
        ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`],
        { cwd: REPO_ROOT, timeout: opts.timeoutMs, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`mvn dependency:copy-dependencies (${path.relative(REPO_ROOT, pom)}) failed: ${err.message}\n${(stdout + stderr).slice(-4000)}`));
          else resolve();
        },
      );
    });
    if (!readdirSync(tmp).some((f) => opts.expect.test(f))) throw new Error(`mvn left no jar matching ${opts.expect} in ${tmp}`);
    writeFileSync(path.join(tmp, '.installed'), `${pomHash(pom)}\n`);
    rmSync(lib, { recursive: true, force: true }); // an incomplete folder (no marker) of an interrupted install
    try {
      renameSync(tmp, lib);
    } catch (e) {
      if (!jarsInstalled(home, pom)) throw e; // else another run installed it meanwhile
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return lib;
}
