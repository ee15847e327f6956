// Durable checkpoints: one JSON file per checkpoint under <dir>/<job name>/chk-<id>/_metadata,
// on local disk or S3 (through FileIO). The file appears whole or not at all (a local write
// goes to a temporary name and is renamed; an S3 PUT is atomic), so a checkpoint exists only
// once it is complete.
import { fileIOFor, joinPath, type FileIO } from '../io/fileio.js';
import { JobError, ValidationError } from '../common/errors.js';
import type { ConnectorIdentity } from '../common/connector.js';

export interface CheckpointData {
  version: 1;
  jobId: string;
  jobName: string;
  checkpointId: number;
  /** Fingerprint of the plan's stateful shape: a savepoint of another shape is refused. */
  planFingerprint: string;
  timestamp: number;
  savepoint: boolean;
  sources: unknown[];
  /**
   * A job run in two phases at parallelism N: each worker's sources and local operators (the JSON
   * text of a WorkerState), by worker index. Absent at parallelism 1.
   */
  workers?: string[];
  /** The workers ran the whole plan behind the key exchange (a keyed run): their states can be re-assigned by key group. */
  workersKeyed?: boolean;
  operators: unknown[];
  /** Per sink: prepared but maybe not yet committed data. */
  sinks: { committables: unknown[]; state?: unknown }[];
  /**
   * What each source read and each sink wrote (null: nothing that outlives the job). A job resumes
   * the checkpoint only with the same ones. Absent in checkpoints of older versions.
   */
  identities?: { sources: (ConnectorIdentity | null)[]; sinks: (ConnectorIdentity | null)[] };
  /**
   * An incremental checkpoint: the id of the checkpoint (a sibling folder `chk-<id>`) that the
   * operator states marked `delta: true` apply to. readCheckpoint attaches that checkpoint's state
   * of the same operator to each as its `prior`.
   */
  previous?: number;
}

/** S3 settings for checkpoint and savepoint locations: the session's `s3.*` and `client.region` keys. */
export function storageOptions(config: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of config) if (k.startsWith('s3.') || k === 'client.region') out[k] = v;
  return out;
}

function normalize(location: string): string {
  return location.replace(/^file:\/\//, '');
}

// Exact integers beyond 2^53 (BIGINT values, DECIMAL unscaled values) are bigints in state: they
// are written as {"$l": "digits"} and read back as bigints. A SlicedState is written whole here
// (as { head, items }); a checkpoint writes it in slices (CheckpointSerializer).
export function stringifyState(data: unknown): string {
  return JSON.stringify(data, (_k, v: unknown) => {
    if (typeof v === 'bigint') return { $l: v.toString() };
    if (v instanceof SlicedState) {
      const items: unknown[] = [];
      for (let r = v.items.next(); !r.done; r = v.items.next()) items.push(r.value);
      return { head: v.head, items };
    }
    return v;
  });
}

/** stringifyState of a list of plain entries: without a replacer (several times faster) unless one holds a bigint. */
function stringifyItems(items: unknown[]): string {
  try {
    return JSON.stringify(items);
  } catch (e) {
    if (e instanceof TypeError) return stringifyState(items); // "Do not know how to serialize a BigInt"
    throw e;
  }
}

export function parseState(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$l === 'string' && Object.keys(o).length === 1) return BigInt(o.$l);
    }
    return v;
  });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A part of an operator's snapshot that is written after the pipeline resumes: the operator
 * captures it at once (copy-on-write, or structures it never changes again) and hands an iterator
 * over its entries; the checkpoint pulls them a slice at a time between batches. It reads back
 * (restore) as `{ head, items: [...] }`.
 */
export class SlicedState {
  constructor(
    readonly head: unknown,
    readonly items: Iterator<unknown>,
    /** Entries serialised per JSON.stringify call, between two looks at the clock (fewer for large entries). */
    readonly itemsPerSlice = 256,
  ) {}
}

/**
 * A checkpoint's `_metadata` text built in slices: everything but the SlicedState parts is
 * serialised at once (when created, during the pipeline's pause); step() then serialises the
 * sliced parts for at most a given time each call. When done, `bytes` is the file, and, if it
 * was asked to `keep` them (a savepoint, a checkpoint kept only in memory), `data` holds the
 * sliced parts as the plain `{ head, items }` a restore reads; otherwise the items are not kept
 * (a checkpoint on disk is read back from there), and `data.operators` is not complete.
 */
export class CheckpointSerializer {
  private readonly chunks: Buffer[] = [];
  private readonly parts: { sliced: SlicedState; after: string; items: unknown[]; started: boolean; done: boolean; first: boolean }[] = [];
  private part = 0;
  private size = 0;
  done = false;
  /** The longest step() so far, ms (wall clock), and the CPU time of the process in it (ms). */
  maxStepMs = 0;
  maxStepCpuMs = 0;

  constructor(
    readonly data: CheckpointData,
    private readonly text = true,
    private readonly keep = true,
  ) {
    const nonce = Math.random().toString(36).slice(2, 10);
    const found: SlicedState[] = [];
    const top = JSON.stringify(data, (_k, v: unknown) => {
      if (typeof v === 'bigint') return { $l: v.toString() };
      if (v instanceof SlicedState) return `\u0000sliced-${nonce}-${found.push(v) - 1}`;
      return v;
    });
    const pieces = top.split(new RegExp(`"\\\\u0000sliced-${nonce}-\\d+"`));
    if (pieces.length !== found.length + 1) throw new JobError(`checkpoint ${data.checkpointId}: the state could not be laid out for writing in slices`);
    this.push(pieces[0]);
    found.forEach((sliced, i) => this.parts.push({ sliced, after: pieces[i + 1], items: [], started: false, done: false, first: true }));
    this.done = this.parts.length === 0;
  }

  private push(s: string): void {
    if (!this.text || s.length === 0) return;
    const b = Buffer.from(s, 'utf8');
    this.chunks.push(b);
    this.size += b.length;
  }

  /** Serialises for about `budgetMs` (at least one slice); true when everything is serialised. */
  step(budgetMs: number): boolean {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (!this.done) {
      const p = this.parts[this.part];
      if (!p.started) {
        p.started = true;
        this.push(`{"head":${stringifyState(p.sliced.head) ?? 'null'},"items":[`);
      }
      const batch: unknown[] = [];
      let r = p.sliced.items.next();
      while (!r.done) {
        batch.push(r.value);
        if (batch.length >= p.sliced.itemsPerSlice) break;
        r = p.sliced.items.next();
      }
      if (batch.length) {
        const t = stringifyItems(batch);
        this.push((p.first ? '' : ',') + t.slice(1, -1));
        p.first = false;
        if (this.keep) for (const it of batch) p.items.push(it);
      }
      if (r.done) {
        this.push(']}' + p.after);
        p.done = true;
        if (++this.part === this.parts.length) this.done = true;
      }
      if (performance.now() - t0 >= budgetMs) break;
    }
    const ms = performance.now() - t0;
    if (ms > this.maxStepMs) this.maxStepMs = ms;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    if (cpu > this.maxStepCpuMs) this.maxStepCpuMs = cpu;
    if (this.done && this.keep) this.materialize();
    return this.done;
  }

  private materialized = false;
  /** Replaces the SlicedState parts in `data` with what they read back as. */
  private materialize(): void {
    if (this.materialized) return;
    this.materialized = true;
    const byState = new Map(this.parts.map((p) => [p.sliced, { head: p.sliced.head, items: p.items }]));
    const walk = (v: unknown): unknown => {
      if (v instanceof SlicedState) return byState.get(v);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
        return v;
      }
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) o[k] = walk(o[k]);
      }
      return v;
    };
    if (byState.size) walk(this.data.operators);
  }

  /** The file's bytes (once done). */
  bytes(): Uint8Array {
    if (!this.done) throw new JobError(`checkpoint ${this.data.checkpointId}: its state is not fully serialised yet`);
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
  }
}

export class CheckpointStore {
  private io?: FileIO;
  readonly dir: string;

  constructor(dir: string, private readonly options: Record<string, string> = {}) {
    this.dir = normalize(dir);
  }

  private async fileIO(): Promise<FileIO> {
    return (this.io ??= await fileIOFor(this.dir, this.options));
  }

  private chkDir(id: number): string {
    return joinPath(this.dir, `chk-${id}`);
  }

  /** The folder of checkpoint `id`. */
  location(id: number): string {
    return this.chkDir(id);
  }

  /** Bytes of the last checkpoint written (its size for metrics). */
  lastSize = 0;

  async write(data: CheckpointData): Promise<string> {
    return this.writeBytes(data.checkpointId, encoder.encode(stringifyState(data)));
  }

  /**
   * Writes checkpoint `id`'s `_metadata` (already serialised, e.g. by a CheckpointSerializer). An
   * incremental one first records the checkpoint it applies to in `_previous` (what prune keeps).
   */
  async writeBytes(id: number, bytes: Uint8Array, previous?: number): Promise<string> {
    const io = await this.fileIO();
    const d = this.chkDir(id);
    if (previous !== undefined) await io.write(joinPath(d, '_previous'), encoder.encode(String(previous)));
    await io.write(joinPath(d, '_metadata'), bytes);
    this.lastSize = bytes.length;
    return d;
  }

  /** Completed checkpoint ids, ascending. */
  async list(): Promise<number[]> {
    const io = await this.fileIO();
    const ids: number[] = [];
    for (const e of await io.list(this.dir)) {
      const m = /^chk-(\d+)$/.exec(e.name);
      if (m && (await io.exists(joinPath(this.dir, e.name, '_metadata')))) ids.push(Number(m[1]));
    }
    return ids.sort((a, b) => a - b);
  }

  async latest(): Promise<CheckpointData | undefined> {
    const ids = await this.list();
    if (!ids.length) return undefined;
    return readCheckpoint(this.chkDir(ids[ids.length - 1]), this.options);
  }

  /**
   * Keeps the newest `retain` checkpoints, and never fewer than the latest one (what a restart
   * resumes from), with the earlier checkpoints an incremental one among them applies to.
   */
  async prune(retain: number): Promise<void> {
    const keep = Number.isInteger(retain) && retain >= 1 ? retain : 1;
    const io = await this.fileIO();
    const ids = await this.list();
    const kept = new Set(ids.slice(Math.max(0, ids.length - keep)));
    for (const id of [...kept]) {
      for (let p = await this.previousOf(io, id); p !== undefined && !kept.has(p); p = await this.previousOf(io, p)) kept.add(p);
    }
    for (const id of ids) if (!kept.has(id)) await io.deleteRecursive(this.chkDir(id));
  }

  private async previousOf(io: FileIO, id: number): Promise<number | undefined> {
    const f = joinPath(this.chkDir(id), '_previous');
    if (!(await io.exists(f))) return undefined;
    const n = Number(decoder.decode(await io.read(f)).trim());
    return Number.isInteger(n) ? n : undefined;
  }
}

/** `state.checkpoints.num-retained`: how many completed checkpoints to keep, a whole number ≥ 1 (default 1). */
export function retainedCheckpoints(config: ReadonlyMap<string, string>): number {
  const v = config.get('state.checkpoints.num-retained');
  if (v === undefined) return 1;
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValidationError(
      `'state.checkpoints.num-retained' = '${v}' is not allowed: it must be a whole number of at least 1 (the latest completed checkpoint is always kept, as a restart resumes from it).`,
    );
  }
  return n;
}

/** Reads a checkpoint or savepoint from its folder (or its _metadata file). */
export async function readCheckpoint(location: string, options: Record<string, string> = {}): Promise<CheckpointData> {
  const loc = normalize(location);
  const file = loc.endsWith('_metadata') ? loc : joinPath(loc, '_metadata');
  const io = await fileIOFor(file, options);
  const data = parseCheckpoint(decoder.decode(await io.read(file)), file);
  if (data.previous === undefined) return data;
  // An incremental checkpoint: its deltas get the state of the checkpoint before as their prior.
  const folder = file.slice(0, -'/_metadata'.length);
  const prevFolder = joinPath(folder.slice(0, folder.lastIndexOf('/')), `chk-${data.previous}`);
  if (!(await io.exists(joinPath(prevFolder, '_metadata')))) {
    throw new JobError(`The checkpoint ${folder} is incremental: it applies to checkpoint ${data.previous}, and ${prevFolder} is missing. Resume from a complete checkpoint or savepoint, or start the job without it.`);
  }
  const prev = await readCheckpoint(prevFolder, options);
  data.operators.forEach((op, i) => {
    if (op !== null && typeof op === 'object' && (op as { delta?: unknown }).delta === true) (op as { prior?: unknown }).prior = prev.operators[i];
  });
  return data;
}

/** A checkpoint's `_metadata` text; a damaged or foreign file is an error naming it and what is wrong. */
export function parseCheckpoint(text: string, file: string): CheckpointData {
  let raw: unknown;
  try {
    raw = parseState(text);
  } catch (e) {
    throw new JobError(`The checkpoint ${file} is damaged: not valid JSON (${(e as Error).message}; ${text.length} characters). Delete its folder to resume from an earlier checkpoint, or start the job without it.`);
  }
  const wrong = checkpointShapeError(raw);
  if (wrong) throw new JobError(`${file} is not a tsstream checkpoint: ${wrong}. Point 'execution.savepoint.path' at a savepoint or checkpoint folder that tsstream wrote, or delete this one.`);
  return raw as CheckpointData;
}

function checkpointShapeError(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'it is not a JSON object';
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) return o.version === undefined ? "'version' is missing" : `'version' is ${JSON.stringify(o.version)}, this tsstream reads version 1`;
  for (const k of ['jobId', 'jobName', 'planFingerprint'] as const) if (typeof o[k] !== 'string') return o[k] === undefined ? `'${k}' is missing` : `'${k}' is not a string`;
  if (typeof o.checkpointId !== 'number' || !Number.isInteger(o.checkpointId)) return `'checkpointId' is ${o.checkpointId === undefined ? 'missing' : 'not a whole number'}`;
  for (const k of ['sources', 'operators', 'sinks'] as const) if (!Array.isArray(o[k])) return `'${k}' is ${o[k] === undefined ? 'missing' : 'not a list'}`;
  if ((o.sinks as unknown[]).some((s) => !s || typeof s !== 'object' || !Array.isArray((s as { committables?: unknown }).committables))) return "a sink's 'committables' is not a list";
  return undefined;
}

/** Writes a savepoint folder `<dir>/savepoint-<jobid prefix>-<random>`; returns its location. */
export async function writeSavepoint(dir: string, data: CheckpointData, options: Record<string, string> = {}): Promise<string> {
  const base = normalize(dir);
  const name = `savepoint-${data.jobId.slice(0, 6)}-${Math.random().toString(16).slice(2, 14)}`;
  const d = joinPath(base, name);
  const io = await fileIOFor(d, options);
  await io.write(joinPath(d, '_metadata'), encoder.encode(stringifyState({ ...data, savepoint: true })));
  return d;
}
