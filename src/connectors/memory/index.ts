// The 'memory' connector: a source fed by the program itself (tests, `tsstream test`) and a
// sink that captures rows. Rows are positional: physical columns, then metadata columns.
import type { ConnectorFactory, ConnectorIdentity, DynamicSink, DynamicSource, SourceBatch, TableDescriptor } from '../../common/connector.js';
import { ConnectorError } from '../../common/errors.js';
import type { OptionSpec } from '../../common/options.js';
import type { Row } from '../../common/types.js';

/** A named in-process channel: splits of rows to read, and rows written by sinks. */
export class MemoryChannel {
  constructor(readonly name = '') {}
  readonly splits = new Map<string, Row[]>();
  ended = false;
  /** Rows written by sinks, in arrival order (committed or not). */
  readonly written: Row[] = [];
  /** Rows made visible by commit() (what a transactional reader would see). */
  readonly committed: Row[] = [];
  private waiters: (() => void)[] = [];

  push(rows: Row[], split = '0'): void {
    let s = this.splits.get(split);
    if (!s) this.splits.set(split, (s = []));
    for (const r of rows) s.push(r);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  waitForData(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((f) => f !== done);
        resolve();
      }, ms);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.push(done);
    });
  }
}

const channels = new Map<string, MemoryChannel>();

function memoryIdentity(c: MemoryChannel): ConnectorIdentity {
  return { what: `memory channel '${c.name}'`, keys: { channel: c.name } };
}

export function memoryChannel(name: string): MemoryChannel {
  let c = channels.get(name);
  if (!c) channels.set(name, (c = new MemoryChannel(name)));
  return c;
}

export function dropMemoryChannel(name: string): void {
  channels.delete(name);
}

const OPTIONS: OptionSpec[] = [
  { key: 'channel', type: 'string', required: true, description: 'name of the in-process channel' },
  { key: 'bounded', type: 'boolean', default: 'false', description: 'the source ends when the channel is ended' },
];

class MemorySource implements DynamicSource {
  readonly bounded: boolean;
  private readonly pos = new Map<string, number>();
  constructor(private readonly channel: MemoryChannel, bounded: boolean) {
    this.bounded = bounded;
  }
  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return memoryIdentity(this.channel);
  }
  async open(_ctx: unknown, restored?: unknown): Promise<void> {
    for (const [k, v] of Object.entries((restored as Record<string, number>) ?? {})) this.pos.set(k, v);
  }
  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    let out = this.take();
    if (out.length) return out;
    if (this.channel.ended) return null;
    await this.channel.waitForData(timeoutMs);
    out = this.take();
    if (!out.length && this.channel.ended) return null;
    return out;
  }
  private take(): SourceBatch[] {
    const out: SourceBatch[] = [];
    for (const [split, rows] of this.channel.splits) {
      const p = this.pos.get(split) ?? 0;
      if (p < rows.length) {
        out.push({ split, rows: rows.slice(p) });
        this.pos.set(split, rows.length);
      }
    }
    return out;
  }
  splits(): string[] {
    return [...this.channel.splits.keys()];
  }
  snapshotState(): unknown {
    return Object.fromEntries(this.pos);
  }
  async close(): Promise<void> {}
}

class MemorySink implements DynamicSink {
  readonly transactional = false;
  private pending: Row[] = [];
  constructor(private readonly channel: MemoryChannel) {}
  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return memoryIdentity(this.channel);
  }
  async open(): Promise<void> {}
  async write(rows: Row[]): Promise<void> {
    for (const r of rows) {
      this.channel.written.push(r);
      this.pending.push(r);
    }
  }
  async prepareCommit(): Promise<unknown> {
    const rows = this.pending;
    this.pending = [];
    return rows.length ? { rows: rows.length, upTo: this.channel.written.length } : null;
  }
  async commit(_checkpointId: number, committables: unknown[]): Promise<void> {
    // Up to what the checkpoint prepared: rows written after its pre-commit belong to the next one.
    const marks = committables.map((c) => (c as { upTo?: number })?.upTo).filter((n): n is number => typeof n === 'number');
    const n = marks.length ? Math.min(this.channel.written.length, Math.max(...marks)) : this.channel.written.length;
    while (this.channel.committed.length < n) this.channel.committed.push(this.channel.written[this.channel.committed.length]);
  }
  async close(): Promise<void> {}
}

function channelOf(t: TableDescriptor): MemoryChannel {
  const name = t.options['channel'];
  if (!name) throw new ConnectorError(`Table ${t.path.table}: the memory connector needs 'channel'`);
  return memoryChannel(name);
}

export const memoryFactory: ConnectorFactory = {
  identifier: 'memory',
  sinkChangelogMode: 'all',
  description: 'In-process rows: a source fed by the program and a capturing sink (tests)',
  options: OPTIONS,
  createSource: (t) => new MemorySource(channelOf(t), t.options['bounded'] === 'true'),
  createSink: (t) => new MemorySink(channelOf(t)),
};
