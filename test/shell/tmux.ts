// Driving `tsstream sql` through a real pseudo-terminal: a tmux server of our own (-L socket),
// keys sent with send-keys, the screen read with capture-pane. Every wait is bounded.
import { execFileSync } from 'node:child_process';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TmuxSession {
  readonly socket = `tsstream-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly target = 'shell';

  constructor(private readonly cwd: string) {}

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: this.cwd, timeout: 10_000 });
  }

  /** Starts `command` (a shell command line) in a wide, tall pane that stays after the command exits. */
  start(command: string, width = 220, height = 100): void {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.target, '-x', String(width), '-y', String(height), '-c', this.cwd, command);
    this.tmux('set-option', '-t', this.target, 'remain-on-exit', 'on');
    this.tmux('set-option', '-t', this.target, 'history-limit', '20000');
  }

  /** Types text literally (a trailing `;` escaped from tmux's command parser), then Enter. */
  type(text: string, enter = true): void {
    const t = text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
    if (t) this.tmux('send-keys', '-t', this.target, '-l', '--', t);
    if (enter) this.tmux('send-keys', '-t', this.target, 'Enter');
  }

  /** Sends keys by name (C-c, C-d, Tab, Enter). */
  keys(...names: string[]): void {
    this.tmux('send-keys', '-t', this.target, ...names);
  }

  /** The whole pane, scroll-back included, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.target, '-S', '-20000').replace(/\s+$/, '');
  }

  /** What the pane shows now (a full-screen view included), trailing blank lines dropped. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-t', this.target).replace(/\s+$/, '');
  }

  /** Polls what the pane shows until `test` holds; fails with it after `timeoutMs`. */
  async waitForVisible(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.visible();
      if (test(s)) return s;
      if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${s}`);
      await sleep(100);
    }
  }

  paneDead(): boolean {
    return this.tmux('display-message', '-p', '-t', this.target, '#{pane_dead}').trim() === '1';
  }

  /** Polls the screen until `test` holds; fails with the screen after `timeoutMs`. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let s = '';
    for (;;) {
      s = this.screen();
      if (test(s)) return s;
      if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${s}`);
      await sleep(100);
    }
  }

  /** Waits until the screen contains `needle` at least `count` times. */
  waitForText(needle: string | RegExp, what = String(needle), count = 1, timeoutMs = 15_000): Promise<string> {
    const n = (s: string) => (typeof needle === 'string' ? s.split(needle).length - 1 : (s.match(new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : needle.flags + 'g')) ?? []).length);
    return this.waitFor((s) => n(s) >= count, what, timeoutMs);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
