// The Python virtual env shared by the Python-based peers (moto, pyiceberg): created under
// peersHome()/venv from test/peers/python/requirements.txt, reinstalled when that file changes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, missingTool, peersHome } from './peer.js';

export const REQUIREMENTS = path.join(REPO_ROOT, 'test/peers/python/requirements.txt');

export function venvDir(): string {
  return path.join(peersHome(), 'venv');
}

export function venvBin(name: string): string {
  return path.join(venvDir(), 'bin', name);
}

const MARKER = () => path.join(venvDir(), '.tsstream-requirements.sha256');

function requirementsHash(): string {
  return createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
}

/** null when python3 can make a venv here, else why not. */
export function pythonUnavailable(): string | null {
  return missingTool('python3', ['-c', 'import venv, ensurepip']);
}

export function venvReady(): boolean {
  try {
    return readFileSync(MARKER(), 'utf8').trim() === requirementsHash();
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (b: Buffer) => {
      for (const line of b.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} exited with ${code}:\n${tail.join('\n')}`))));
  });
}

let installing: Promise<void> | undefined;

/** Creates (or refreshes) the venv; a no-op when the marker matches the requirements. Several peers
 *  of one process may ask at once: they share one install. */
export function ensureVenv(log: (line: string) => void): Promise<void> {
  if (venvReady()) return Promise.resolve();
  installing ??= (async () => {
    await fs.mkdir(peersHome(), { recursive: true });
    if (!existsSync(venvBin('python'))) {
      log(`creating ${venvDir()}`);
      await run('python3', ['-m', 'venv', venvDir()], log);
    }
    log(`pip install -r ${path.relative(REPO_ROOT, REQUIREMENTS)}`);
    await run(venvBin('python'), ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], log);
    await fs.writeFile(MARKER(), requirementsHash() + '\n');
  })().finally(() => {
    installing = undefined;
  });
  return installing;
}

/** Runs test/peers/python/<script> with this venv python: the request as JSON on stdin, the answer
 *  as JSON on stdout; a failure shows the script's last lines of stderr. */
export function runVenvScript(python: string, script: string, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(REPO_ROOT, 'test/peers/python', script)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('exit', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0) return reject(new Error(`${path.basename(python)} ${script} failed (exit ${code}): ${stderr.split('\n').slice(-5).join('\n')}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch (e) {
        reject(new Error(`${script} printed no JSON: ${(e as Error).message}; stderr: ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}
