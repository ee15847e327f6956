// The key-group hash exchange between the workers of a parallel job (Flink's keyBy / hash
// partitioning): every worker runs the whole plan on its share of the source splits, and in front
// of each keyed operator (group aggregation, joins, Top-N, window aggregation by key…) the rows are
// sent to the worker that owns their key. As in Flink, a key belongs to one of MAX_PARALLELISM
// (128) key groups (a murmur hash of the key, modulo 128) and each worker owns a contiguous range
// of key groups (keyGroupRange), so that state can be re-assigned by key group when a job resumes
// at another parallelism.
//
// The workers are linked pairwise by MessagePorts (coordinator.ts makes them); every exchange of
// the plan (a channel: one keyed operator's input) shares them. What one worker sends another on a
// channel keeps its order: rows (as columns, columns.ts), watermarks, the end of the input and
// checkpoint barriers. A receiving channel's watermark is the minimum over the senders' (Flink's
// per-channel watermarks); its input ends when every sender's has. Flow control: a worker stops
// reading its sources while it has more than MAX_INFLIGHT messages unacknowledged by a peer.
import type { MessagePort } from 'node:worker_threads';
import type { Row } from '../../common/types.js';
import type { ColumnBatch } from '../../common/columns.js';
import type { Output } from '../operators/operator.js';
import { groupKeyFn } from '../operators/aggregates.js';
import { toRows } from '../columnar/batch.js';
import { toColumns } from './columns.js';

/** Flink's default maximum parallelism for parallelism ≤ 128: the number of key groups. */
export const MAX_PARALLELISM = 128;

/** Messages a worker has sent a peer and the peer has not yet processed, before it pauses its sources. */
const MAX_INFLIGHT = 16;
/** Rows buffered for one peer before they are sent without waiting for the end of the pass. */
const FLUSH_ROWS = 4096;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mix(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Murmur3 (32 bits) of a string's UTF-16 code units. */
export function murmurString(s: string, seed = 0): number {
  let h = seed;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h ^= Math.imul(((s.charCodeAt(i) * C1) << 15) | 0, C2);
  return fmix(h ^ n);
}

const encodeOne = groupKeyFn([0]);
const TWO_32 = 2 ** 32;

/** A hash of one key value; equal for values the operators' keys (groupKeyFn) take as equal (5 and 5n alike). */
function hashValue(v: unknown): number {
  if (v === null || v === undefined) return 0x5bd1e995;
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return fmix(mix(mix(0x2f, v | 0), Math.floor(v / TWO_32) | 0));
    return murmurString('n' + v);
  }
  if (typeof v === 'string') return murmurString(v, 0x73);
  if (typeof v === 'bigint') {
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return hashValue(Number(v));
    return murmurString('n' + v);
  }
  if (typeof v === 'boolean') return v ? 0x3c6ef372 : 0x1f83d9ab;
  return murmurString(encodeOne([v]));
}

/** The key group (0…127) of the key at `keys` of `row`: murmur of the key, modulo MAX_PARALLELISM. */
export function keyGroupOf(row: Row, keys: readonly number[]): number {
  let h = 0x1234567;
  for (let j = 0; j < keys.length; j++) h = mix(h, hashValue(row[keys[j]]));
  return (fmix(h ^ keys.length) >>> 0) % MAX_PARALLELISM;
}

/** The worker (0-based) owning key group `kg` at `parallelism` (Flink's computeOperatorIndexForKeyGroup). */
export function workerOfKeyGroup(kg: number, parallelism: number): number {
  return Math.floor((kg * parallelism) / MAX_PARALLELISM);
}

/** The key groups [start, end] worker `index` of `parallelism` owns (Flink's computeKeyGroupRangeForOperatorIndex). */
export function keyGroupRange(index: number, parallelism: number): [number, number] {
  return [Math.floor((index * MAX_PARALLELISM + parallelism - 1) / parallelism), Math.floor(((index + 1) * MAX_PARALLELISM - 1) / parallelism)];
}

/** How a worker reaches the others: `peers[j]` the port to worker j (undefined for itself). */
export interface ExchangeLink {
  index: number;
  parallelism: number;
  peers: (MessagePort | undefined)[];
}

/** One entry of a message between workers, for channel `c`. */
type Item =
  | { c: number; rows: ColumnBatch; kinds?: (string | undefined)[] }
  | { c: number; wm: number }
  | { c: number; end: true }
  | { c: number; barrier: number }
  /** The sender's sources have no split (Flink's WatermarkStatus.IDLE), or have one again. */
  | { c: number; idle: boolean };

/** The minimum of `wms` over the senders that are not idle (as Flink's WatermarkStatus.IDLE), or undefined when all are idle. */
export function minActiveWatermark(wms: readonly number[], idle: readonly boolean[]): number | undefined {
  let min: number | undefined;
  for (let j = 0; j < wms.length; j++) if (!idle[j] && (min === undefined || wms[j] < min)) min = wms[j];
  return min;
}

/** items: entries of channels; ack: a peer processed one; start: the sender's start report (Exchange.start), before any item. */
type PeerMessage = { t: 'items'; items: Item[] } | { t: 'ack' } | { t: 'start'; idle: boolean };

/** An entry waiting to be sent: rows still as rows (made columns when sent). */
type Pending = { c: number; rows: Row[] } | Exclude<Item, { rows: ColumnBatch }>;

interface Channel {
  id: number;
  target: Output;
  /** Per sender: its latest watermark, whether its input ended, whether its barrier came (checkpoints). */
  wms: number[];
  /** Per sender: idle (its sources have no split): left out of the minimum watermark. */
  idle: boolean[];
  ended: boolean[];
  barrier: boolean[];
  wm: number;
  done: boolean;
  /** The channels in the plan below this one (they feed it): its barrier goes out once they are aligned. */
  upstream: number[];
}

/** The exchange of one worker's job: its channels (one per keyed operator input) and its links to the other workers. */
export class Exchange {
  private readonly channels: Channel[] = [];
  private readonly pending: Pending[][];
  private readonly pendingRows: number[];
  private readonly inflight: number[];
  private readonly owner = new Int32Array(MAX_PARALLELISM);
  private wake?: () => void;
  private failed?: unknown;
  private closed = false;
  /** Per sender, items received on a channel whose barrier came from that sender, processed once the checkpoint's alignment ends. */
  private held: Item[][];
  /** The checkpoint being aligned: its id and, once this worker's own barrier came, what to do when aligned. */
  private align?: { id: number; onAligned?: () => void };
  /** Per worker (this one too): its start report came (Exchange.start). */
  private readonly reported: boolean[];

  constructor(
    private readonly link: ExchangeLink,
    private readonly onError: (e: unknown) => void,
  ) {
    const n = link.parallelism;
    for (let kg = 0; kg < MAX_PARALLELISM; kg++) this.owner[kg] = workerOfKeyGroup(kg, n);
    this.pending = Array.from({ length: n }, () => []);
    this.pendingRows = new Array(n).fill(0);
    this.inflight = new Array(n).fill(0);
    this.held = Array.from({ length: n }, () => []);
    this.reported = new Array(n).fill(false);
    link.peers.forEach((p, j) => {
      if (!p) return;
      p.on('message', (m: PeerMessage) => this.receive(j, m));
    });
  }

  /** Channels made so far (their ids are 0…size-1, in the order the plan is built). */
  get size(): number {
    return this.channels.length;
  }

  /** The Output an operator's input reads through the exchange: rows go to the worker owning their key at `keys` (or the key group `keys` gives a row). */
  channel(target: Output, keys: readonly number[] | ((row: Row) => number)): Output & { channel: number } {
    const n = this.link.parallelism;
    const c = this.channels.length;
    const ch: Channel = { id: c, target, wms: new Array(n).fill(-Infinity), idle: new Array(n).fill(false), ended: new Array(n).fill(false), barrier: new Array(n).fill(false), wm: -Infinity, done: false, upstream: [] };
    this.channels.push(ch);
    const self = this.link.index;
    const owner = this.owner;
    const parts: Row[][] = Array.from({ length: n }, () => []);
    const groupOf = typeof keys === 'function' ? keys : (r: Row) => keyGroupOf(r, keys);
    return {
      channel: c,
      emit: (rows) => {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i];
          parts[owner[groupOf(r)]].push(r);
        }
        for (let j = 0; j < n; j++) {
          const p = parts[j];
          if (p.length === 0) continue;
          parts[j] = [];
          if (j === self) target.emit(p);
          else this.sendRows(j, c, p);
        }
      },
      watermark: (wm) => {
        for (let j = 0; j < n; j++) if (j !== self) this.queue(j, { c, wm });
        this.onWatermark(ch, self, wm);
      },
      end: () => {
        for (let j = 0; j < n; j++) if (j !== self) this.queue(j, { c, end: true });
        this.flush();
        this.onEnd(ch, self);
      },
    };
  }

  /** The channels `from`…`to`-1 lie in the plan below channel `c` (made while its input was built). */
  setUpstream(c: number, from: number, to: number): void {
    for (let u = from; u < to; u++) this.channels[c].upstream.push(u);
  }

  /**
   * The start barrier: this worker's sources are open and it reports whether they hold any split
   * (`idle`: none), before it reads anything; it reads once every worker has reported (started).
   * A sender without a split is left out of the minimum watermark of every channel fed by sources
   * from the start, on every receiver (as setIdle); one with a split holds them back until its
   * first watermark. So the owner of a key never sees a watermark the senders' data did not give
   * (the other senders running ahead) nor −∞ from an idle sender that had not yet said it is idle
   * (a cold worker reporting after the others read everything: no row late).
   */
  start(idle: boolean): void {
    const self = this.link.index;
    this.link.peers.forEach((p) => p?.postMessage({ t: 'start', idle } satisfies PeerMessage));
    this.onStart(self, idle);
  }

  /** Every worker has reported its start (Exchange.start), or the exchange failed or closed. */
  get started(): boolean {
    return this.failed !== undefined || this.closed || this.reported.every(Boolean);
  }

  private onStart(from: number, idle: boolean): void {
    this.reported[from] = true;
    if (!idle) return;
    for (const ch of this.channels) if (!ch.upstream.length) this.onIdle(ch, from, true);
  }

  /** Every channel's input ended on every sender (nothing more will arrive). */
  get done(): boolean {
    return this.channels.every((c) => c.done);
  }

  /** Resolves when the sources may be read again (no peer has too many messages unprocessed), or the exchange failed or closed. */
  ready(): Promise<void> {
    if (this.failed || this.closed || !this.inflight.some((k) => k >= MAX_INFLIGHT)) return Promise.resolve();
    return this.idle(1000);
  }

  /** Resolves when something arrives from a peer (or after `ms`). */
  idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const prev = this.wake;
      const t = setTimeout(() => this.wakeUp(), ms);
      this.wake = () => {
        clearTimeout(t);
        prev?.();
        resolve();
      };
    });
  }

  /** Sends what is buffered for every peer. */
  flush(): void {
    for (let j = 0; j < this.pending.length; j++) if (this.pending[j].length) this.post(j);
  }

  /**
   * This worker's checkpoint barrier `id` (its sources are snapshot and read no more until the
   * checkpoint is aligned). As in Flink's aligned checkpoints, a channel's barrier goes to the
   * peers once the channels below it are aligned (so it follows every row the operators between
   * produced from input before the barrier); a sender's items on a channel after its barrier are
   * held. Once every channel has every sender's barrier (or its end), `onAligned` runs (the
   * worker snapshots its operators) and the held items are processed.
   */
  barrier(id: number, onAligned: () => void): void {
    if (this.align && this.align.id !== id) throw new Error(`checkpoint barrier ${id} while ${this.align.id} is being aligned`);
    this.align = { id, onAligned };
    this.progress();
  }

  /** Whether a checkpoint is being aligned (the worker reads no sources meanwhile). */
  get aligning(): boolean {
    return this.align?.onAligned !== undefined;
  }

  close(): void {
    this.closed = true;
    for (const p of this.link.peers) p?.close();
    this.wakeUp();
  }

  private sendRows(j: number, c: number, rows: Row[]): void {
    const q = this.pending[j];
    const last = q[q.length - 1];
    if (last && 'rows' in last && last.c === c) for (const r of rows) last.rows.push(r);
    else q.push({ c, rows });
    this.pendingRows[j] += rows.length;
    if (this.pendingRows[j] >= FLUSH_ROWS) this.post(j);
  }

  private queue(j: number, item: Pending): void {
    this.pending[j].push(item);
  }

  private post(j: number): void {
    const q = this.pending[j];
    this.pending[j] = [];
    this.pendingRows[j] = 0;
    const items: Item[] = [];
    for (const e of q) {
      if (!('rows' in e)) {
        items.push(e);
        continue;
      }
      let kinds: (string | undefined)[] | undefined;
      for (let i = 0; i < e.rows.length; i++) {
        const k = (e.rows[i] as { rowKind?: string }).rowKind;
        if (k !== undefined) (kinds ??= new Array(e.rows.length))[i] = k;
      }
      const batch = toColumns(e.rows, e.rows[0].length);
      items.push(kinds ? { c: e.c, rows: batch, kinds } : { c: e.c, rows: batch });
    }
    if (this.closed) return;
    this.inflight[j]++;
    this.link.peers[j]!.postMessage({ t: 'items', items } satisfies PeerMessage);
  }

  private receive(from: number, m: PeerMessage): void {
    if (this.failed || this.closed) return;
    try {
      if (m.t === 'ack') {
        this.inflight[from]--;
      } else if (m.t === 'start') {
        this.onStart(from, m.idle);
      } else {
        const items = m.items;
        const held = this.held[from];
        for (let k = 0; k < items.length; k++) {
          const it = items[k];
          if (this.channels[it.c].barrier[from]) held.push(it);
          else this.apply(from, it);
        }
        this.link.peers[from]!.postMessage({ t: 'ack' } satisfies PeerMessage);
        this.progress();
        this.flush();
      }
    } catch (e) {
      this.failed = e;
      this.onError(e);
    }
    this.wakeUp();
  }

  private apply(from: number, it: Item): void {
    const ch = this.channels[it.c];
    if ('rows' in it) {
      const rows = toRows(it.rows);
      if (it.kinds) for (let i = 0; i < rows.length; i++) if (it.kinds[i] !== undefined) (rows[i] as { rowKind?: string }).rowKind = it.kinds[i];
      ch.target.emit(rows);
    } else if ('wm' in it) this.onWatermark(ch, from, it.wm);
    else if ('idle' in it) this.onIdle(ch, from, it.idle);
    else if ('end' in it) this.onEnd(ch, from);
    else {
      if (this.align && this.align.id !== it.barrier) throw new Error(`checkpoint barrier ${it.barrier} from worker ${from + 1} while ${this.align.id} is being aligned`);
      this.align ??= { id: it.barrier };
      ch.barrier[from] = true;
    }
  }

  /** A channel has every sender's barrier (or end). */
  private aligned(ch: Channel): boolean {
    for (let j = 0; j < ch.barrier.length; j++) if (!ch.barrier[j] && !ch.ended[j]) return false;
    return true;
  }

  /** Sends the barriers that may go now; once all is aligned, snapshots and releases the held items. */
  private progress(): void {
    const a = this.align;
    if (!a?.onAligned) return;
    const self = this.link.index;
    for (let moved = true; moved; ) {
      moved = false;
      for (const ch of this.channels) {
        if (ch.barrier[self] || !ch.upstream.every((u) => this.aligned(this.channels[u]))) continue;
        ch.barrier[self] = true;
        for (let j = 0; j < ch.barrier.length; j++) if (j !== self) this.queue(j, { c: ch.id, barrier: a.id });
        moved = true;
      }
    }
    this.flush();
    if (!this.channels.every((ch) => this.aligned(ch))) return;
    this.align = undefined;
    for (const ch of this.channels) ch.barrier.fill(false);
    a.onAligned();
    const held = this.held;
    this.held = held.map(() => []);
    held.forEach((q, j) => {
      for (const it of q) {
        if (this.channels[it.c].barrier[j]) this.held[j].push(it);
        else this.apply(j, it);
      }
    });
    this.flush();
  }

  /**
   * This worker's sources have no split (`idle`), or have one again: as Flink's WatermarkStatus.IDLE,
   * its channels fed by the sources (none below them) leave it out of their minimum watermark.
   */
  setIdle(idle: boolean): void {
    const self = this.link.index;
    for (const ch of this.channels) {
      if (ch.upstream.length) continue;
      for (let j = 0; j < ch.idle.length; j++) if (j !== self) this.queue(j, { c: ch.id, idle });
      this.onIdle(ch, self, idle);
    }
    this.flush();
  }

  private onIdle(ch: Channel, from: number, idle: boolean): void {
    ch.idle[from] = idle;
    this.advance(ch);
  }

  private onWatermark(ch: Channel, from: number, wm: number): void {
    if (wm <= ch.wms[from]) return;
    ch.wms[from] = wm;
    this.advance(ch);
  }

  /** The minimum over the senders that are not idle (none: the watermark stays); it never goes back. */
  private advance(ch: Channel): void {
    const min = minActiveWatermark(ch.wms, ch.idle);
    if (min !== undefined && min > ch.wm) {
      ch.wm = min;
      ch.target.watermark(min);
    }
  }

  private onEnd(ch: Channel, from: number): void {
    if (ch.ended[from]) return;
    ch.ended[from] = true;
    if (ch.ended.every(Boolean)) {
      ch.done = true;
      ch.target.end();
    }
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
