// The filesystem source: lines of JSON/CSV/raw files under a path, one split per file. At
// parallelism N (a worker of a parallel job), worker i reads the i-th of N byte ranges of each
// file, each range aligned to the line that starts in it (Hadoop's and Flink's file splits: a
// line that starts in a range is read whole by that range's worker); a .gz file cannot be split
// and is read whole by one worker (by its name's hash). Where ranges cannot be used (s3:// paths,
// CSV whose quoted values may span lines, monitor mode, where files grow) worker i reads every
// file and takes every N-th record line from line i+1. A worker of a plan whose result depends
// on the order of each key's rows (keyed operators, a window aggregation's late rows:
// RuntimeContext.subtask.wholeSplits) reads whole files instead, each file by one worker (by its
// name's hash), as Flink reads a JSON/CSV file as one split: a file's rows keep their order. Or,
// where the plan allows it (RuntimeContext.subtask.chunks: a two-phase TUMBLE) and the source reads
// one plain local file, in chunks: chunk k is the k-th batch parallelism 1 reads (fileChunks), read
// by the worker that takes it (the workers share a count of the chunks taken,
// RuntimeContext.subtask.chunkClaims: each takes the next one when it needs one, so a worker the
// machine slows takes fewer; without it, worker k mod N), its last batch marked
// (SourceBatch.chunkEnd) for the coordinator, which merges the chunks in file order.
//
// - `path` is a file or a folder; a folder is read recursively in name order, skipping names
//   that start with '.' or '_' (in-progress part files are hidden that way).
// - Bounded by default: the files listed at open are read to their end and poll() returns null.
//   With `source.monitor-interval` (and not in batch mode) the folder is listed again at that
//   interval; new files and lines appended to known files are read. A last line without a
//   newline is read at once when bounded, and in monitor mode once the file stopped growing for
//   one interval (at least one second).
// - snapshotState: per file, the byte offset and line number of the next unread line, so a
//   restored source continues exactly there.
// - A malformed record fails the job with `path:line` in the message, or (ignore-parse-errors)
//   is skipped and counted in the 'records-skipped' metric.
// - Partition folders `col=value/` give the values of PARTITIONED BY columns; metadata columns
//   file.path, file.name, file.size, file.modification-time are available.
// - Filters on partition columns (ScanRequest.filters) skip whole partitions.
// - `path` may be s3:// (s3a://, s3n://): objects are listed and read with ranged GETs through
//   src/io (S3 client options from the table's s3.* keys or the session's SET s3.* keys).
// - Files ending in .gz are decompressed (whole, in memory) and read like the others; positions
//   are offsets in the decompressed text. They are read once, not monitored for appends.
import { isUtf8 } from 'node:buffer';
import { decFromString, inLongRange, parseInteger } from '../../common/exact.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { open as openFile, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ConnectorError } from '../../common/errors.js';
import { compareWith, type ConnectorIdentity, type DynamicSource, type PushdownPredicate, type RuntimeContext, type ScanRequest, type SourceBatch, type TableDescriptor } from '../../common/connector.js';
import { MAX_LENGTH, rowKindOf, setRowKind, type Field, type LogicalType, type Row } from '../../common/types.js';
import type { ChangelogDecoder, RecordLocation, RowDecoder } from '../../formats/api.js';
import { parseDateStrict, parseTimestampStrict, SEP_ANY, ZONE_OPTIONAL, ZONE_Z_ONLY } from '../../formats/temporal.js';
import { csvRecordChars } from '../../formats/csv.js';
import { fileIOFor, type FileEntry, type FileIO } from '../../io/fileio.js';
import { partitionFolderValues, readFsConfig, type FsConfig } from './options.js';
import { JsonColumnReader } from '../../runtime/columnar/json.js';
import { columnarEnabled, toRows } from '../../runtime/columnar/batch.js';
import { JsonRowDecoder } from '../../formats/json.js';

export const FILESYSTEM_METADATA: Record<string, LogicalType> = {
  'file.path': { kind: 'VARCHAR', length: MAX_LENGTH, nullable: false },
  'file.name': { kind: 'VARCHAR', length: MAX_LENGTH, nullable: false },
  'file.size': { kind: 'BIGINT', nullable: false },
  'file.modification-time': { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false },
};

interface FileState {
  /** Byte offset of the next unread line. */
  offset: number;
  /** Lines consumed so far (the next line is line + 1). */
  line: number;
  /** Size at the last listing. */
  size: number;
  mtimeMs: number;
  /** Values of the partition columns from the folder names. */
  partitions: unknown[];
  /** Size on disk (file.size metadata); `size` is the decompressed size for .gz files. */
  fileSize: number;
  /** Absolute path (file.path metadata). */
  absPath: string;
  /** A gzip file: decompressed whole when first read, read once (not monitored for appends). */
  gz: boolean;
  /** Monitor mode: size when an unterminated last line was seen, and since when; read it once the size stayed. */
  partialAt: number;
  partialSince: number;
  flushPartial: boolean;
  /** A worker's byte range: lines starting before `end` are its own (Infinity: to the end). */
  end: number;
  /** The range starts inside the file: skip to the line after the first newline from offset - 1 before reading. */
  align: boolean;
  /** Lines before the range (-1: not counted yet; error messages count them when needed). */
  lineBase: number;
  /** Where the byte range starts (before align). */
  rangeStart: number;
  /** Read in chunks (RuntimeContext.subtask.chunks): the chunk being read, and this worker's next ones (taken, not yet read). */
  chunk?: number;
  chunks?: Chunk[];
  /** Every chunk of the file, and the workers' shared count of those taken (RuntimeContext.subtask.chunkClaims): the next ones are taken from it. */
  allChunks?: Chunk[];
  claims?: Int32Array;
}

/** Chunk `k` of a file read in chunks: the bytes [start, end). */
interface Chunk {
  k: number;
  start: number;
  end: number;
  /** The read buffer's size at its start (doubled at a line longer than it, and then kept). */
  buffer: number;
}

/**
 * A file read in chunks: this many of parallelism 1's read batches (1 MiB) per chunk, 1 in a file
 * under CHUNKS_OF_ONE_BELOW bytes (more chunks to share out). Larger chunks cost less: at 10M seed
 * events, 4 batches per chunk took the workers 0.44–0.51 CPU-s each and the coordinator 0.05, 1
 * batch 0.49–0.56 and 0.09–0.11.
 */
const BATCHES_PER_CHUNK = 4;
const CHUNKS_OF_ONE_BELOW = 64 << 20;

export interface FileSystemSourceState {
  /** Per file (the split id): [byte offset, line number] of the next unread line. */
  files: Record<string, [number, number]>;
}

/** Minimum time an unterminated last line must stay unchanged (monitor mode) before it is read as a record. */
const PARTIAL_LINE_WAIT_MS = 1000;
const INITIAL_BUFFER = 1 << 20;

/** Where each output column comes from. */
const FROM_DECODED = 0;
const FROM_PARTITION = 1;
const FROM_METADATA = 2;

export class FileSystemSource implements DynamicSource {
  readonly bounded: boolean;
  private readonly cfg: FsConfig;
  private readonly decoder: RowDecoder;
  /** JSON records read straight into columns (table.exec.columnar.enabled, flat projected fields, no metadata or partition columns). */
  private readonly columnar?: JsonColumnReader;
  /** setColumnarOutput was called: batches carry columns, not rows. */
  private columnarOut = false;
  private readonly changes?: ChangelogDecoder;
  private readonly skipBlank: boolean;
  /** Lines must be UTF-8 (json). */
  private readonly strictUtf8: boolean;
  /** csv.allow-comments: '#' lines are not records (and not counted as skipped). */
  private readonly skipComments: boolean;
  /** CSV with quoting (ASCII quote and delimiter): quoted values may span lines. -1 otherwise. */
  private readonly csvQuote: number = -1;
  private readonly csvDelimiter: number = 44;
  private readonly csvEscape: number = -1;
  private readonly files = new Map<string, FileState>();
  private order: string[] = [];
  private cursor = 0;
  private current: string | undefined;
  private fd: Reader | undefined;
  private fdPath: string | undefined;
  private buf = Buffer.allocUnsafe(INITIAL_BUFFER);
  /** The read-ahead of the next chunk (readAhead), and the buffer the next one goes into. */
  private ahead: { fd: Reader; offset: number; buf: Buffer<ArrayBuffer>; read: Promise<{ bytesRead: number }> } | undefined;
  private spare: Buffer<ArrayBuffer> | undefined;
  private nextListAt = 0;
  private ctx!: RuntimeContext;
  private restored: Record<string, [number, number]> = {};
  private listedOnce = false;
  /** A bounded input whose share for this worker was empty when opened (noSplits). */
  private emptyShare = false;
  /** Monitor mode: how long an unterminated last line must stay unchanged before it is read. */
  private readonly partialWaitMs: number;
  // Output layout
  private readonly identity: boolean;
  private readonly outFrom: Uint8Array;
  private readonly outIndex: number[];
  private readonly outMeta: string[];
  private readonly partitionFields: Field[];
  /** Pushed-down filters on partition columns, used to skip whole partitions (the runtime re-checks rows). */
  private readonly pruning: { index: number; pred: PushdownPredicate }[];
  // Location of the record being decoded (one closure for the source, not one per row).
  private locFile = '';
  private locLine = 0;
  /** A worker of a job at parallelism > 1 reads every `stride`-th record line, from `strideIndex` (when not by byte ranges). */
  private stride = 1;
  private strideIndex = 0;
  /** A worker of a job at parallelism > 1 reads its byte range of each file: subtask `strideIndex` of `ranges`. */
  private ranges = 1;
  /** Each file is read whole by one worker of the `ranges` (the plan depends on the order of its rows). */
  private wholeFiles = false;
  /** One file may be read in chunks (RuntimeContext.subtask.chunks); `chunking`: it is. */
  private chunkMode = false;
  private chunking = false;
  private locState: FileState | undefined;
  private readonly where: RecordLocation = () => `${this.locFile}:${this.locLine + (this.locState ? lineBase(this.locFile, this.locState) : 0)}`;

  constructor(
    private readonly table: TableDescriptor,
    scan: ScanRequest,
    sessionConfig: ReadonlyMap<string, string> = new Map(),
  ) {
    this.cfg = readFsConfig(table, sessionConfig);
    this.bounded = this.cfg.monitorIntervalMs === undefined || scan.batch;
    this.partialWaitMs = Math.max(this.cfg.monitorIntervalMs ?? 0, PARTIAL_LINE_WAIT_MS);
    const physical = table.physical;
    const partKeys = new Set(table.partitionKeys);
    this.partitionFields = table.partitionKeys.map((k) => {
      const f = physical.find((p) => p.name === k);
      if (!f) throw new ConnectorError(`Partition column '${k}' is not a physical column of table ${table.path.table}`);
      return f;
    });
    const dataFields = physical.filter((f) => !partKeys.has(f.name));
    this.pruning = (scan.filters ?? [])
      .map((pred) => ({ index: table.partitionKeys.indexOf(pred.column), pred }))
      .filter((p) => p.index >= 0);
    const projection = scan.projection ?? physical.map((_, i) => i);
    const metaKeys = scan.metadataKeys ?? [];
    for (const k of metaKeys) {
      if (!(k in FILESYSTEM_METADATA)) {
        throw new ConnectorError(`Unknown metadata key '${k}' for connector 'filesystem'. Available: ${Object.keys(FILESYSTEM_METADATA).join(', ')}`);
      }
    }
    // JSON reads fields by name: decode only the projected ones. CSV and raw are positional.
    let decFields = dataFields;
    if (this.cfg.formatId === 'json') {
      decFields = projection.map((i) => physical[i]).filter((f) => !partKeys.has(f.name));
    }
    const changelog = this.cfg.format.changelog;
    if (changelog) {
      // A changelog format (debezium-json, …): every line is zero or more changes, rows keep their kind.
      const changes = changelog.createDecoder(decFields, this.cfg.formatOptions, []);
      this.changes = changes;
      this.decoder = { decode: () => null };
    } else this.decoder = this.cfg.format.createDecoder(decFields, this.cfg.formatOptions);
    this.skipBlank = this.cfg.formatId !== 'raw';
    this.strictUtf8 = this.cfg.formatId === 'json' || this.cfg.formatId === 'csv';
    this.skipComments = this.cfg.formatId === 'csv' && (this.cfg.formatOptions['allow-comments'] ?? '').trim().toLowerCase() === 'true';
    if (this.cfg.formatId === 'csv') {
      const q = csvRecordChars(this.cfg.formatOptions);
      if (q) {
        this.csvQuote = q.quote;
        this.csvDelimiter = q.delimiter;
        this.csvEscape = q.escape;
      }
    }
    const n = projection.length + metaKeys.length;
    this.outFrom = new Uint8Array(n);
    this.outIndex = new Array(n).fill(0);
    this.outMeta = new Array(n).fill('');
    projection.forEach((pi, j) => {
      const f = physical[pi];
      if (partKeys.has(f.name)) {
        this.outFrom[j] = FROM_PARTITION;
        this.outIndex[j] = table.partitionKeys.indexOf(f.name);
      } else {
        this.outFrom[j] = FROM_DECODED;
        this.outIndex[j] = decFields.indexOf(f);
      }
    });
    metaKeys.forEach((k, m) => {
      this.outFrom[projection.length + m] = FROM_METADATA;
      this.outMeta[projection.length + m] = k;
    });
    this.identity =
      metaKeys.length === 0 &&
      projection.length === decFields.length &&
      projection.every((_, j) => this.outFrom[j] === FROM_DECODED && this.outIndex[j] === j);
    if (columnarEnabled(sessionConfig) && this.identity && !changelog && this.decoder instanceof JsonRowDecoder) this.columnar = JsonColumnReader.create(decFields, this.decoder);
  }

  /** Batches go out as columns (the JSON reader's fast path); unused STRING fields are not looked up. */
  setColumnarOutput(unused: ReadonlySet<number>): void {
    if (this.columnar === undefined) return;
    this.columnarOut = true;
    this.columnar.skipStrings(unused);
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return { what: `files at ${this.cfg.path}`, keys: { path: this.cfg.path } };
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    // At parallelism N, worker i reads the i-th byte range of every file (or, where ranges cannot
    // be used, takes the records on lines i+1, i+1+N, … of every file); where the order of the rows
    // matters, the files whose name hashes to i.
    if (ctx.subtask && ctx.subtask.parallelism > 1) {
      this.wholeFiles = ctx.subtask.wholeSplits === true;
      this.chunkMode = this.wholeFiles && ctx.subtask.chunks === true && this.bounded && !this.cfg.remote && this.csvQuote < 0 && this.changes === undefined;
      if (this.wholeFiles) this.ranges = ctx.subtask.parallelism;
      else if (this.bounded && !this.cfg.remote && this.csvQuote < 0) this.ranges = ctx.subtask.parallelism;
      else this.stride = ctx.subtask.parallelism;
      this.strideIndex = ctx.subtask.index;
    }
    const st = restoredState as FileSystemSourceState | undefined;
    if (st && st.files) this.restored = { ...st.files };
    await this.list();
    this.nextListAt = Date.now() + (this.cfg.monitorIntervalMs ?? 0);
    this.emptyShare = this.bounded && [...this.files.values()].every((f) => f.offset >= Math.min(f.size, f.end) && !f.chunks?.length && !f.allChunks?.length);
  }

  splits(): string[] {
    return this.current === undefined ? [] : [this.current];
  }

  chunked(): boolean {
    return this.chunking;
  }

  /**
   * A bounded input of which this worker's share is empty (every file is another worker's or
   * empty, no chunk is or may become its own, or there is no file): it holds no split, and ends at its first poll.
   * Known once open, and kept: a worker that has read its share is not idle (its end is due).
   */
  noSplits(): boolean {
    return this.emptyShare;
  }

  readsEverySplit(): boolean {
    if (!this.wholeFiles || !this.bounded || this.chunking || this.files.size === 0) return false;
    for (const f of this.files.values()) if (f.end !== Infinity) return false;
    return true;
  }

  snapshotState(): FileSystemSourceState {
    const files: Record<string, [number, number]> = { ...this.restored };
    for (const [p, s] of this.files) files[p] = [s.offset, s.line];
    return { files };
  }

  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const b = await this.readSome();
      if (b) return [b];
      if (this.bounded) {
        await this.closeFd();
        return null;
      }
      let now = Date.now();
      if (now >= this.nextListAt) {
        await this.list();
        this.nextListAt = now + this.cfg.monitorIntervalMs!;
        const b2 = await this.readSome();
        if (b2) return [b2];
        now = Date.now();
      }
      const wait = Math.min(deadline, this.nextListAt) - now;
      if (wait > 0) await sleep(wait, this.ctx.signal);
      if (Date.now() >= deadline || this.ctx.signal.aborted) return [];
    }
  }

  async close(): Promise<void> {
    await this.closeFd();
  }

  // -------------------------------------------------------------------------------------------

  private async list(): Promise<void> {
    const root = this.cfg.path;
    const found: Found[] = [];
    if (this.cfg.remote) {
      const io = await this.remoteIO();
      const top = await io.list(root);
      if (top.length === 0) {
        let size: number | undefined;
        try {
          size = await io.size(root);
        } catch (e) {
          if (this.bounded) throw new ConnectorError(`filesystem source of table ${this.table.path.table}: path '${root}' does not exist`, { cause: e });
        }
        if (size !== undefined) found.push({ file: root, rel: root.slice(root.lastIndexOf('/') + 1), size, mtimeMs: 0 });
      } else await walkRemote(io, top, '', found);
    } else {
      let st;
      try {
        st = await stat(root);
      } catch (e) {
        if (!this.bounded) return; // the folder may appear later
        throw new ConnectorError(`filesystem source of table ${this.table.path.table}: path '${root}' does not exist`, { cause: e });
      }
      if (st.isFile()) found.push({ file: root, rel: path.basename(root), size: -1, mtimeMs: 0 });
      else await walk(root, '', found);
    }
    let added = false;
    // Chunks: one plain file, not resumed from a checkpoint (the file source then reads it whole by one worker).
    const chunkable = this.chunkMode && !this.listedOnce && Object.keys(this.restored).length === 0 && found.filter((f) => !this.cfg.pathPattern || this.cfg.pathPattern.test(f.file)).length === 1;
    for (const { file, rel, size, mtimeMs } of found) {
      if (this.cfg.pathPattern && !this.cfg.pathPattern.test(file)) continue;
      let s: { size: number; mtimeMs: number };
      if (size >= 0) s = { size, mtimeMs };
      else {
        try {
          s = await stat(file);
        } catch {
          continue; // removed meanwhile
        }
      }
      const known = this.files.get(file);
      if (known && known.gz) continue;
      if (known) {
        if (known.partialAt >= 0 && s.size === known.partialAt && Date.now() - known.partialSince >= this.partialWaitMs) known.flushPartial = true;
        if (s.size < known.offset) {
          this.ctx.log('warn', `filesystem source: file ${file} shrank below the read position; reading it again from the start`);
          known.offset = 0;
          known.line = 0;
        }
        known.size = s.size;
        known.fileSize = s.size;
        known.mtimeMs = s.mtimeMs;
        continue;
      }
      const partitions = this.partitionValues(rel, file);
      if (this.pruning.length && !this.partitionMatches(partitions)) continue; // pruned by a filter on partition columns
      const r = this.restored[file];
      const gz = file.endsWith('.gz');
      const range = this.range(file, s.size, gz);
      this.files.set(file, {
        offset: r ? r[0] : range.start,
        line: r ? r[1] : 0,
        // A .gz file's decompressed size is known once it is opened.
        size: gz ? Number.MAX_SAFE_INTEGER : s.size,
        fileSize: s.size,
        absPath: path.resolve(file),
        gz,
        mtimeMs: s.mtimeMs,
        partitions,
        partialAt: -1,
        partialSince: 0,
        flushPartial: false,
        end: range.end,
        align: !r && range.start > 0,
        lineBase: range.start > 0 ? -1 : 0,
        rangeStart: range.start,
      });
      if (chunkable && !gz && this.partitionFields.length === 0) {
        const st = this.files.get(file)!;
        const all = fileChunks(file, s.size, this.buf.length);
        const claims = this.ctx.subtask?.chunkClaims;
        this.chunking = true;
        if (claims) {
          st.allChunks = all;
          st.claims = claims;
          st.chunks = [];
        } else st.chunks = all.filter((c) => c.k % this.ranges === this.strideIndex);
        st.offset = 0;
        st.end = 0;
        st.align = false;
      }
      added = true;
    }
    if (added || !this.listedOnce) {
      this.order = [...this.files.keys()].sort();
    }
    this.listedOnce = true;
    this.cursor = 0;
  }

  /** This worker's byte range of a file of `size` bytes ([0, Infinity) when not split by ranges; [0, 0) for a .gz file, or any file when read whole, another worker reads). */
  private range(file: string, size: number, gz: boolean): { start: number; end: number } {
    const n = this.ranges;
    if (n <= 1) return { start: 0, end: Infinity };
    const i = this.strideIndex;
    if (gz || this.wholeFiles) return nameHash(file) % n === i ? { start: 0, end: Infinity } : { start: 0, end: 0 };
    return { start: Math.floor((size * i) / n), end: i === n - 1 ? Infinity : Math.floor((size * (i + 1)) / n) };
  }

  /** Whether a file's partition values can satisfy every pushed-down filter on partition columns. */
  private partitionMatches(values: unknown[]): boolean {
    for (const { index, pred } of this.pruning) {
      if (!predicateMayHold(pred, values[index])) return false;
    }
    return true;
  }

  private partitionValues(rel: string, file: string): unknown[] {
    if (this.partitionFields.length === 0) return [];
    const values = partitionFolderValues(rel.split(/[\\/]/).slice(0, -1));
    return this.partitionFields.map((f) => {
      const text = values.get(f.name);
      if (text === undefined || text === this.cfg.defaultPartitionName) return null;
      const v = convertPartitionValue(text, f.type);
      if (v === undefined) throw new ConnectorError(`Cannot convert partition value '${text}' of column '${f.name}' in ${file}`);
      return v;
    });
  }

  /** Reads the next chunk of lines from the first file with unread data; undefined when none has any. */
  private async readSome(): Promise<SourceBatch | undefined> {
    while (this.cursor < this.order.length) {
      const file = this.order[this.cursor];
      const st = this.files.get(file)!;
      if (st.chunks !== undefined && st.offset >= st.end && nextChunk(st) !== undefined) {
        // The next chunk of this worker.
        const c = st.chunks.shift()!;
        st.chunk = c.k;
        st.offset = c.start;
        st.end = c.end;
        st.rangeStart = c.start;
        st.lineBase = c.start > 0 ? -1 : 0;
        st.line = 0;
        if (this.buf.length < c.buffer) this.buf = Buffer.allocUnsafe(c.buffer);
      }
      if (st.offset >= st.size || st.offset >= st.end) {
        this.cursor++;
        continue;
      }
      const fd = await this.handle(file, st);
      if (st.align) await this.alignRange(fd, st);
      if (st.offset >= st.size || st.offset >= st.end) {
        this.cursor++;
        continue;
      }
      let bytes = 0;
      let lastNl = -1;
      for (;;) {
        const r = await this.readAt(fd, st.offset);
        bytes = r.bytesRead;
        lastNl = bytes > 0 ? this.buf.lastIndexOf(10, bytes - 1) : -1;
        if (lastNl >= 0 || bytes < this.buf.length) break;
        this.buf = Buffer.allocUnsafe(this.buf.length * 2); // a line longer than the buffer
      }
      if (bytes === 0) {
        st.size = st.offset;
        this.cursor++;
        continue;
      }
      const atEof = bytes < this.buf.length;
      let end = lastNl + 1;
      let final = false;
      if (atEof && end < bytes) {
        // An unterminated last line.
        if (this.bounded || st.flushPartial) {
          end = bytes;
          final = true;
          st.flushPartial = false;
          st.partialAt = -1;
        } else if (st.partialAt !== st.offset + bytes) {
          st.partialAt = st.offset + bytes;
          st.partialSince = Date.now();
        }
      } else if (atEof && this.bounded) final = true;
      if (end === 0) {
        // Only a partial line, not yet complete.
        st.size = Math.max(st.size, st.offset + bytes);
        this.cursor++;
        continue;
      }
      this.current = file;
      // The next chunk is read while this one is decoded (read-ahead), from where it most likely starts.
      if (!atEof && st.offset + end < st.end) this.readAhead(fd, st.offset + end);
      else if (st.chunks !== undefined) {
        // This worker's next chunk (taken now when the workers take them as they go).
        const next = nextChunk(st);
        if (next !== undefined && this.buf.length >= next.buffer) this.readAhead(fd, next.start);
      }
      const batch = this.decodeLines(file, st, end, final);
      if (st.chunk !== undefined && st.offset >= st.end) batch.chunkEnd = st.chunk;
      if (this.consumed === 0) {
        // A multi-line CSV record that does not end within the chunk.
        if (!atEof) {
          this.buf = Buffer.allocUnsafe(this.buf.length * 2);
          continue;
        }
        this.cursor++; // monitor mode: wait for the rest of the record
        continue;
      }
      return batch;
    }
    return undefined;
  }

  /** The chunk at `offset` read into this.buf: the read-ahead's when it was of that offset, else read now. */
  private async readAt(fd: Reader, offset: number): Promise<{ bytesRead: number }> {
    const ahead = this.ahead;
    if (ahead !== undefined) {
      this.ahead = undefined;
      const r = await ahead.read;
      if (ahead.fd === fd && ahead.offset === offset && ahead.buf.length === this.buf.length) {
        this.spare = this.buf;
        this.buf = ahead.buf;
        return r;
      }
      if (ahead.buf.length === this.buf.length) this.spare = ahead.buf;
    }
    return fd.read(this.buf, 0, this.buf.length, offset);
  }

  /** Starts reading the chunk at `offset` into the spare buffer (taken by the next readAt of that offset). */
  private readAhead(fd: Reader, offset: number): void {
    const buf = this.spare !== undefined && this.spare.length === this.buf.length ? this.spare : Buffer.allocUnsafe(this.buf.length);
    this.spare = undefined;
    const read = fd.read(buf, 0, buf.length, offset);
    // A failure surfaces when the chunk is taken (or not at all when it is not).
    read.catch(() => {});
    this.ahead = { fd, offset, buf, read };
  }

  /** Moves a byte range's start to the first line that starts in it (the line it starts inside belongs to the range before). */
  private async alignRange(fd: Reader, st: FileState): Promise<void> {
    let at = st.offset - 1;
    for (;;) {
      const { bytesRead } = await fd.read(this.buf, 0, this.buf.length, at);
      const nl = bytesRead > 0 ? this.buf.subarray(0, bytesRead).indexOf(10) : -1;
      if (nl >= 0) {
        at += nl + 1;
        break;
      }
      at += bytesRead;
      if (bytesRead < this.buf.length) break;
    }
    st.offset = at;
    st.align = false;
  }

  /** Bytes of the chunk the last decodeLines() consumed. */
  private consumed = 0;

  /**
   * Decodes the complete records in buf[0, end). `final`: a record still open at `end` (an
   * unterminated quoted CSV value) is taken as it is rather than left for a later read.
   */
  private decodeLines(file: string, st: FileState, end: number, final: boolean): SourceBatch {
    const buf = this.buf;
    const rows: Row[] = [];
    let pos = 0;
    // A UTF-8 byte order mark at the start of a file is not part of the first record.
    if (st.offset === 0 && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    const start = pos;
    let line = st.line;
    this.locFile = file;
    this.locState = st;
    // Lines that start at or after the end of this worker's byte range are the next range's.
    const limit = st.end - st.offset;
    let skipped = 0;
    const quote = this.csvQuote;
    // JSON records of the shape the columnar reader learned are read with their line's end found on the way.
    const shaped = this.stride > 1 ? undefined : this.columnar;
    // Whether buf[pos, end) is UTF-8 from the first line the format decodes as text on (-1: not checked yet).
    let chunkUtf8 = -1;
    // The whole chunk (complete lines, at most the buffer size) is decoded: no part is read twice.
    while (pos < end && pos < limit) {
      if (shaped !== undefined) {
        const rows0 = shaped.length;
        const at = shaped.addShapedLines(buf, pos, end, limit);
        if (at !== pos) {
          line += shaped.length - rows0;
          pos = at;
          continue;
        }
      }
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= end) nl = end;
      let extraLines = 0;
      if (quote >= 0) {
        const q = buf.indexOf(quote, pos);
        if (q >= 0 && q < nl) {
          // A quoted CSV value may hold newlines: find where the record really ends.
          const recEnd = csvRecordEnd(buf, pos, end, quote, this.csvDelimiter, this.csvEscape);
          if (recEnd < 0) {
            if (!final) break; // incomplete: read again from here
            nl = end;
          } else nl = recEnd;
          for (let k = buf.indexOf(10, pos); k >= 0 && k < nl; k = buf.indexOf(10, k + 1)) extraLines++;
        }
      }
      let e = nl;
      if (e > pos && buf[e - 1] === 13) e--;
      line++;
      const next = nl < end ? nl + 1 : end;
      if ((this.skipBlank && isBlank(buf, pos, e)) || (this.skipComments && buf[pos] === 35)) {
        pos = next;
        line += extraLines;
        continue;
      }
      if (this.stride > 1 && (line - 1) % this.stride !== this.strideIndex) {
        pos = next;
        line += extraLines;
        continue;
      }
      this.locLine = line;
      line += extraLines;
      const columnar = this.columnar;
      if (columnar !== undefined && columnar.addLine(buf, pos, e)) {
        pos = next;
        continue;
      }
      // JSON (RFC 8259) and CSV are read as UTF-8: a line that is not goes to the format as bytes, which refuses it
      // with its file and line (or skips it), instead of reading U+FFFD. The rest of the chunk is checked once
      // (lines end at a newline, an ASCII byte, so the chunk is UTF-8 exactly when each of its lines is); only
      // a chunk that is not has its lines checked one by one.
      if (chunkUtf8 < 0) chunkUtf8 = !this.strictUtf8 || isUtf8(buf.subarray(pos, end)) ? 1 : 0;
      const data = chunkUtf8 === 0 && !isUtf8(buf.subarray(pos, e)) ? buf.subarray(pos, e) : buf.toString('utf8', pos, e);
      pos = next;
      if (this.changes) {
        const changes = this.changes.decode(data, this.where);
        if (changes === null) skipped++;
        else {
          for (const c of changes) {
            const kind = rowKindOf(c);
            rows.push(setRowKind(this.identity ? c : this.shape(c, st, file), kind));
          }
        }
        continue;
      }
      const row = this.decoder.decode(data, this.where);
      if (row === null) {
        skipped++;
        continue;
      }
      if (this.columnar !== undefined) this.columnar.addRow(row);
      else rows.push(this.identity ? row : this.shape(row, st, file));
    }
    this.consumed = pos - start;
    st.offset += pos;
    st.line = line;
    if (st.offset > st.size) st.size = st.offset;
    if (skipped) this.ctx.metric('records-skipped', skipped);
    if (this.columnar !== undefined) {
      const reader = this.columnar;
      const columns = reader.finish();
      if (!this.columnarOut) {
        const out = toRows(columns); // copies the values: the arrays are free again
        reader.recycle(columns);
        return { split: file, rows: out };
      }
      return { split: file, rows: [], columns, release: () => reader.recycle(columns) };
    }
    return { split: file, rows };
  }

  private shape(decoded: Row, st: FileState, file: string): Row {
    const n = this.outFrom.length;
    const out = new Array(n);
    for (let j = 0; j < n; j++) {
      switch (this.outFrom[j]) {
        case FROM_DECODED:
          out[j] = decoded[this.outIndex[j]];
          break;
        case FROM_PARTITION:
          out[j] = st.partitions[this.outIndex[j]];
          break;
        default:
          out[j] = this.metadata(this.outMeta[j], st, file);
      }
    }
    return out;
  }

  private metadata(key: string, st: FileState, file: string): unknown {
    switch (key) {
      case 'file.path':
        return st.absPath;
      case 'file.name':
        return path.basename(file);
      case 'file.size':
        return st.fileSize;
      default:
        return Math.floor(st.mtimeMs) * 1000;
    }
  }

  private async handle(file: string, st: FileState): Promise<Reader> {
    if (this.fd && this.fdPath === file) return this.fd;
    await this.closeFd();
    try {
      if (this.cfg.remote && !st.gz) {
        const io = await this.remoteIO();
        this.fd = {
          async read(buf: Buffer, off: number, len: number, position: number) {
            const n = Math.max(0, Math.min(len, st.size - position));
            if (n === 0) return { bytesRead: 0 };
            const data = await io.readRange(file, position, n);
            buf.set(data, off);
            return { bytesRead: data.byteLength };
          },
          async close() {},
        };
      } else if (st.gz) {
        const data = await gunzipAsync(this.cfg.remote ? Buffer.from(await (await this.remoteIO()).read(file)) : await readFile(file));
        st.size = data.length;
        this.fd = {
          async read(buf: Buffer, off: number, len: number, position: number) {
            const n = Math.max(0, Math.min(len, data.length - position));
            if (n > 0) data.copy(buf, off, position, position + n);
            return { bytesRead: n };
          },
          async close() {},
        };
      } else this.fd = await openFile(file, 'r');
    } catch (e) {
      throw new ConnectorError(`filesystem source: cannot read ${file}: ${(e as Error).message}`, { cause: e });
    }
    this.fdPath = file;
    return this.fd;
  }

  private io: FileIO | undefined;

  /** The object store of an s3:// path (options from the table's s3.* keys and the session's). */
  private async remoteIO(): Promise<FileIO> {
    this.io ??= await fileIOFor(this.cfg.path, this.cfg.remoteOptions);
    return this.io;
  }

  private async closeFd(): Promise<void> {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead !== undefined) await ahead.read.catch(() => undefined);
    const fd = this.fd;
    this.fd = undefined;
    this.fdPath = undefined;
    if (fd) await fd.close();
  }
}

/**
 * End (index of the terminating '\n') of the CSV record starting at `pos`, following Jackson's
 * rules: a quote opens a quoted value only at the start of a field; inside, a doubled quote or
 * the escape character escapes. -1 when the record is still open at `end`.
 */
function csvRecordEnd(buf: Buffer, pos: number, end: number, quote: number, delim: number, esc: number): number {
  let fieldStart = true;
  let quoted = false;
  for (let i = pos; i < end; i++) {
    const b = buf[i];
    if (quoted) {
      if (b === esc) i++;
      else if (b === quote) {
        if (i + 1 < end && buf[i + 1] === quote) i++;
        else quoted = false;
      }
      continue;
    }
    if (b === 10) return i;
    if (b === delim) {
      fieldStart = true;
      continue;
    }
    if (fieldStart && b === quote) quoted = true;
    else if (b === esc) i++;
    fieldStart = false;
  }
  return -1;
}

const gunzipAsync = promisify(gunzip);

/** What the source reads a file through: a file handle, or a decompressed .gz file in memory. */
interface Reader {
  read(buf: Buffer, off: number, len: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

function isBlank(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** A file found by listing: its size when the listing gave it (object stores), else -1. */
interface Found {
  file: string;
  rel: string;
  size: number;
  mtimeMs: number;
}

async function walkRemote(io: FileIO, entries: FileEntry[], rel: string, out: Found[]): Promise<void> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of sorted) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDir) await walkRemote(io, await io.list(e.location), r, out);
    else out.push({ file: e.location, rel: r, size: e.size, mtimeMs: 0 });
  }
}

async function walk(dir: string, rel: string, out: Found[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const full = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(full, r, out);
    else if (e.isFile() || e.isSymbolicLink()) out.push({ file: full, rel: r, size: -1, mtimeMs: 0 });
  }
}

/** False only when `pred` is certainly false for a partition whose column has value `v`. */
function predicateMayHold(pred: PushdownPredicate, v: unknown): boolean {
  switch (pred.op) {
    case 'IS NULL':
      return v === null;
    case 'IS NOT NULL':
      return v !== null;
    case 'IN':
      if (v === null) return false;
      return pred.values.some((x) => typeof x !== typeof v || x === v);
    default: {
      if (v === null || pred.value === null || pred.value === undefined) return false;
      const x = pred.value;
      if (typeof x !== typeof v || (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean')) return true;
      return compareWith(pred.op, v as number | string, x as number | string);
    }
  }
  return true;
}

function convertPartitionValue(text: string, t: LogicalType): unknown {
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return text;
    case 'BOOLEAN':
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const v = /^[+-]?\d+$/.test(text) ? parseInteger(text) : undefined;
      return v !== undefined && (t.kind !== 'BIGINT' || inLongRange(v)) ? v : undefined;
    }
    case 'DECIMAL':
      return decFromString(text, t.precision, t.scale);
    case 'FLOAT':
    case 'DOUBLE': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'DATE': {
      const d = parseDateStrict(text);
      return d === d ? d : undefined;
    }
    case 'TIMESTAMP': {
      const d = parseTimestampStrict(text, SEP_ANY, ZONE_Z_ONLY, false);
      return d === d ? d : undefined;
    }
    case 'TIMESTAMP_LTZ': {
      const d = parseTimestampStrict(text, SEP_ANY, ZONE_OPTIONAL, false);
      return d === d ? d : undefined;
    }
    default:
      return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A stable hash of a file's path (which worker reads a file that cannot be split). */
function nameHash(file: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The next chunk this worker reads (st.chunks[0]): with chunks taken as the workers go
 * (st.claims), the next one no worker has taken yet, taken now (in file order: each worker's
 * chunks come in the order of the file). Undefined when there is none left.
 */
function nextChunk(st: FileState): Chunk | undefined {
  const mine = st.chunks!;
  if (mine.length === 0 && st.claims !== undefined && st.allChunks !== undefined) {
    const k = Atomics.add(st.claims, 0, 1);
    if (k < st.allChunks.length) mine.push(st.allChunks[k]);
  }
  return mine[0];
}

/**
 * The chunks of a file of `size` bytes: BATCHES_PER_CHUNK (or 1) of the batches parallelism 1 reads it in
 * (readSome: `buffer` bytes from a batch's start, up to the last newline in them; the rest of the
 * file when shorter; the buffer doubled while it holds no newline), so that a chunk starts where a
 * batch of parallelism 1 does and its batches are those of parallelism 1 (watermarks follow them).
 */
function fileChunks(file: string, size: number, buffer: number): Chunk[] {
  const chunks: Chunk[] = [];
  if (size <= 0) return chunks;
  const fd = openSync(file, 'r');
  try {
    const tail = Buffer.allocUnsafe(4096);
    let b = 0;
    let start = 0;
    let batches = 0;
    let startBuffer = buffer;
    const perChunk = size < CHUNKS_OF_ONE_BELOW ? 1 : BATCHES_PER_CHUNK;
    while (b < size) {
      let next: number;
      if (size - b < buffer) next = size;
      else {
        // The last newline in [b, b + buffer): in its last 4 KiB, else anywhere in it.
        const at = b + buffer - tail.length;
        const n = readSync(fd, tail, 0, tail.length, at);
        let nl = tail.subarray(0, n).lastIndexOf(10);
        let base = at;
        if (nl < 0) {
          const whole = Buffer.allocUnsafe(buffer);
          const m = readSync(fd, whole, 0, buffer, b);
          nl = whole.subarray(0, m).lastIndexOf(10);
          base = b;
        }
        if (nl < 0) {
          buffer *= 2;
          continue;
        }
        next = base + nl + 1;
      }
      b = next;
      if (++batches === perChunk || b >= size) {
        chunks.push({ k: chunks.length, start, end: b, buffer: startBuffer });
        start = b;
        startBuffer = buffer;
        batches = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  return chunks;
}

/**
 * The number of lines before a byte range's first line (counted once, for an error message's
 * `file:line`): the newlines before the byte ahead of the range's start, and the one that ends
 * the line the range starts inside (or right after).
 */
function lineBase(file: string, st: FileState): number {
  if (st.lineBase >= 0) return st.lineBase;
  let n = 1;
  const upTo = st.rangeStart - 1;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let at = 0; at < upTo; ) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, upTo - at), at);
      if (got === 0) break;
      for (let k = buf.indexOf(10, 0); k >= 0 && k < got; k = buf.indexOf(10, k + 1)) n++;
      at += got;
    }
  } finally {
    closeSync(fd);
  }
  st.lineBase = n;
  return n;
}
