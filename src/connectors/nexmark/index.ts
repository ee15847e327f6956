// The 'nexmark' connector, as the Nexmark suite's Flink source (nexmark-flink): the standard
// Nexmark event stream as rows of the suite's `datagen` table —
//   event_type INT, person ROW<id, name, emailAddress, creditCard, city, state, dateTime, extra>,
//   auction ROW<id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra>,
//   bid ROW<auction, bidder, price, channel, url, dateTime, extra>
// (the row of the other two kinds is NULL). Columns and nested fields are matched by name, so a
// table may declare any subset of them, in any order; `customTime` (the suite's newer name) is
// accepted for `dateTime`. Options as the suite's: events.num (0 = unbounded), first-event.rate
// (event-time spacing: event n is at base-time + n/rate s), next-event.rate (accepted; the suite's
// generator spaces events by the first rate only), the proportions, average sizes and hot ratios,
// max-emit-speed (false: emit each event when its event time is due on the wall clock, counted
// from the start). tsstream adds base-time and seed: the stream is fully deterministic (the suite
// uses the wall clock and an unseeded random), see generator.ts. bench/nexmark/ddl_*.sql are the
// suite's table and views.
import { ValidationError, suggestion } from '../../common/errors.js';
import type { ConnectorFactory, DynamicSource, RuntimeContext, ScanRequest, SourceBatch, TableDescriptor } from '../../common/connector.js';
import { getOption, parseDuration, parseMemorySize, validateOptions, type OptionSpec } from '../../common/options.js';
import { formatType, type Field, type LogicalType, type Row } from '../../common/types.js';
import { withoutConnector } from '../filesystem/options.js';
import { DEFAULT_NEXMARK, NexmarkGenerator, type NexmarkConfig, type NexmarkEvent } from './generator.js';

export const NEXMARK_OPTIONS: readonly OptionSpec[] = [
  { key: 'events.num', type: 'int', default: '0', description: 'Number of events to generate; 0 = unbounded' },
  { key: 'first-event.rate', type: 'int', default: '10000', description: 'Events per second of event time (event n is at base-time + n / rate seconds)' },
  { key: 'next-event.rate', type: 'int', default: '10000', description: "Accepted as the suite's source does; its generator spaces events by first-event.rate" },
  { key: 'rate.shape', type: 'enum', values: ['SQUARE', 'SINE', 'square', 'sine'], default: 'SQUARE', description: "Accepted for compatibility with the suite's source" },
  { key: 'rate.period', type: 'duration', default: '600 s', description: "Accepted for compatibility with the suite's source" },
  { key: 'rate.limited', type: 'boolean', default: 'false', description: "Accepted for compatibility with the suite's source" },
  { key: 'max-emit-speed', type: 'boolean', default: 'true', description: 'true: as fast as possible; false: each event when its event time is due (wall clock from the start)' },
  { key: 'person.proportion', type: 'int', default: '1', description: 'Persons among every (person + auction + bid proportion) events' },
  { key: 'auction.proportion', type: 'int', default: '3', description: 'Auctions among every (person + auction + bid proportion) events' },
  { key: 'bid.proportion', type: 'int', default: '46', description: 'Bids among every (person + auction + bid proportion) events' },
  { key: 'person.avg-size', type: 'memory', default: '200b', description: "Average size of a person (its 'extra' pads it)" },
  { key: 'auction.avg-size', type: 'memory', default: '500b', description: "Average size of an auction (its 'extra' pads it)" },
  { key: 'bid.avg-size', type: 'memory', default: '100b', description: "Average size of a bid (its 'extra' pads it)" },
  { key: 'bid.hot-ratio.auctions', type: 'int', default: '2', description: 'A bid is for a hot auction with probability 1 - 1/ratio' },
  { key: 'bid.hot-ratio.bidders', type: 'int', default: '4', description: 'A bid is by a hot bidder with probability 1 - 1/ratio' },
  { key: 'auction.hot-ratio.sellers', type: 'int', default: '4', description: 'An auction is by a hot seller with probability 1 - 1/ratio' },
  { key: 'base-time', type: 'string', default: '2025-01-01 00:00:00', description: "tsstream: event time of the first event ('yyyy-MM-dd HH:mm:ss' UTC, or ms since the epoch)" },
  { key: 'seed', type: 'int', default: '0', description: 'tsstream: seed of the generator (the same seed, the same events)' },
];

/** The nexmark options of a table (defaults filled in) as the generator's configuration. */
export function nexmarkConfig(options: Record<string, string>, what: string): { config: NexmarkConfig; events: number; maxEmitSpeed: boolean } {
  validateOptions(what, withoutConnector(options), NEXMARK_OPTIONS);
  const get = (k: string) => getOption(options, NEXMARK_OPTIONS, k)!;
  const positive = (k: string, zeroOk = false): number => {
    const v = Number(get(k));
    if (!Number.isSafeInteger(v) || v < 0 || (!zeroOk && v === 0)) throw new ValidationError(`Option '${k}' of ${what} must be a ${zeroOk ? 'non-negative' : 'positive'} integer, got '${get(k)}'`);
    return v;
  };
  const bytes = (k: string): number => {
    const v = parseMemorySize(get(k));
    if (v === undefined) throw new ValidationError(`Invalid value '${get(k)}' for option '${k}' of ${what}: expected a size such as '100b'`);
    return v;
  };
  const baseText = get('base-time').trim();
  const base = /^\d+$/.test(baseText) ? Number(baseText) : Date.parse(baseText.replace(' ', 'T') + 'Z');
  if (!Number.isFinite(base)) throw new ValidationError(`Invalid value '${baseText}' for option 'base-time' of ${what}: expected 'yyyy-MM-dd HH:mm:ss' or milliseconds since the epoch`);
  if (parseDuration(get('rate.period')) === undefined) throw new ValidationError(`Invalid value '${get('rate.period')}' for option 'rate.period' of ${what}: expected a duration`);
  positive('next-event.rate');
  const config: NexmarkConfig = {
    ...DEFAULT_NEXMARK,
    personProportion: positive('person.proportion', true),
    auctionProportion: positive('auction.proportion', true),
    bidProportion: positive('bid.proportion', true),
    firstEventRate: positive('first-event.rate'),
    avgPersonByteSize: bytes('person.avg-size'),
    avgAuctionByteSize: bytes('auction.avg-size'),
    avgBidByteSize: bytes('bid.avg-size'),
    hotAuctionRatio: positive('bid.hot-ratio.auctions'),
    hotBiddersRatio: positive('bid.hot-ratio.bidders'),
    hotSellersRatio: positive('auction.hot-ratio.sellers'),
    baseTime: base,
    seed: Number(get('seed')) >>> 0,
  };
  if (config.personProportion + config.auctionProportion + config.bidProportion === 0) throw new ValidationError(`${what}: the proportions of persons, auctions and bids must not all be 0`);
  if (config.auctionProportion === 0 && config.bidProportion > 0) throw new ValidationError(`${what}: bids need auctions (auction.proportion is 0)`);
  if (config.personProportion === 0 && config.bidProportion + config.auctionProportion > 0) throw new ValidationError(`${what}: auctions and bids need persons (person.proportion is 0)`);
  return { config, events: positive('events.num', true), maxEmitSpeed: get('max-emit-speed').trim().toLowerCase() === 'true' };
}

const FIELDS: Record<'person' | 'auction' | 'bid', Record<string, 'long' | 'string' | 'ts'>> = {
  person: { id: 'long', name: 'string', emailaddress: 'string', creditcard: 'string', city: 'string', state: 'string', datetime: 'ts', extra: 'string' },
  auction: {
    id: 'long',
    itemname: 'string',
    description: 'string',
    initialbid: 'long',
    reserve: 'long',
    datetime: 'ts',
    expires: 'ts',
    seller: 'long',
    category: 'long',
    extra: 'string',
  },
  bid: { auction: 'long', bidder: 'long', price: 'long', channel: 'string', url: 'string', datetime: 'ts', extra: 'string' },
};
const PROPERTY: Record<string, string> = { emailaddress: 'emailAddress', creditcard: 'creditCard', itemname: 'itemName', initialbid: 'initialBid', datetime: 'dateTime' };

type Extract = (e: NexmarkEvent) => unknown;

function accepts(kind: 'long' | 'string' | 'ts', t: LogicalType): boolean {
  if (kind === 'long') return t.kind === 'BIGINT';
  if (kind === 'string') return t.kind === 'VARCHAR' || t.kind === 'CHAR';
  return t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
}

/** How a column of the table is read from an event, by its name. */
function columnExtractor(f: Field, table: string): Extract {
  const name = f.name.toLowerCase();
  if (name === 'event_type') {
    if (f.type.kind !== 'INT' && f.type.kind !== 'BIGINT') throw new ValidationError(`Column 'event_type' of nexmark table ${table} must be INT, not ${formatType(f.type)}`);
    return (e) => e.type;
  }
  if (name !== 'person' && name !== 'auction' && name !== 'bid') {
    throw new ValidationError(`Nexmark table ${table} has a column '${f.name}' the nexmark source does not produce. Columns: event_type, person, auction, bid${suggestion(f.name, ['event_type', 'person', 'auction', 'bid'])}`);
  }
  if (f.type.kind !== 'ROW') throw new ValidationError(`Column '${f.name}' of nexmark table ${table} must be a ROW, not ${formatType(f.type)}`);
  const known = FIELDS[name];
  const getters = f.type.fields.map((nf) => {
    let key = nf.name.toLowerCase();
    if (key === 'customtime') key = 'datetime';
    const kind = known[key];
    if (kind === undefined) {
      throw new ValidationError(`Field '${nf.name}' of column '${f.name}' (nexmark table ${table}) is not a ${name} field. Fields: ${Object.keys(known).map((k) => PROPERTY[k] ?? k).join(', ')}${suggestion(nf.name, Object.keys(known).map((k) => PROPERTY[k] ?? k))}`);
    }
    if (!accepts(kind, nf.type)) {
      throw new ValidationError(`Field '${f.name}.${nf.name}' of nexmark table ${table} must be ${kind === 'long' ? 'BIGINT' : kind === 'string' ? 'STRING' : 'TIMESTAMP(3)'}, not ${formatType(nf.type)}`);
    }
    const prop = PROPERTY[key] ?? key;
    return kind === 'ts' ? (o: Record<string, unknown>) => (o[prop] as number) * 1000 : (o: Record<string, unknown>) => o[prop];
  });
  const type = name === 'person' ? 0 : name === 'auction' ? 1 : 2;
  return (e) => {
    if (e.type !== type) return null;
    const o = (e as unknown as Record<string, Record<string, unknown>>)[name];
    const out = new Array(getters.length);
    for (let i = 0; i < getters.length; i++) out[i] = getters[i](o);
    return out;
  };
}

const MAX_BATCH = 4096;

export interface NexmarkState {
  emitted: number;
}

export class NexmarkSource implements DynamicSource {
  readonly bounded: boolean;
  private readonly gen: NexmarkGenerator;
  private total: number;
  private readonly maxEmitSpeed: boolean;
  private readonly extract: Extract[];
  private emitted = 0;
  private startMs = 0;
  private startEvent = 0;
  private ctx!: RuntimeContext;
  private split = 'nexmark-0';
  /** Events generated: firstEvent + k·stride (stride 1, first 0 unless run split across workers). */
  private stride = 1;
  private firstEvent = 0;

  constructor(table: TableDescriptor, scan: ScanRequest) {
    const what = `connector 'nexmark' (table ${table.path.table})`;
    const { config, events, maxEmitSpeed } = nexmarkConfig(table.options, what);
    this.gen = new NexmarkGenerator(config);
    this.total = events > 0 ? events : Infinity;
    this.bounded = events > 0;
    this.maxEmitSpeed = maxEmitSpeed;
    const all = table.physical.map((f) => columnExtractor(f, table.path.table));
    this.extract = (scan.projection ?? table.physical.map((_, i) => i)).map((i) => all[i]);
    if (scan.metadataKeys?.length) throw new ValidationError(`Connector 'nexmark' has no metadata columns (asked for ${scan.metadataKeys.join(', ')})`);
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    if (ctx.subtask && ctx.subtask.parallelism > 1) {
      const { index, parallelism } = ctx.subtask;
      this.stride = parallelism;
      this.firstEvent = index;
      // This worker's share of the events: those numbered index + k·parallelism below the total.
      if (this.total !== Infinity) this.total = Math.max(0, Math.ceil((this.total - index) / parallelism));
      this.split = `nexmark-${index}`;
    }
    const st = restoredState as NexmarkState | undefined;
    if (st && typeof st.emitted === 'number') this.emitted = st.emitted;
    this.startMs = Date.now();
    this.startEvent = this.emitted;
  }

  splits(): string[] {
    return [this.split];
  }

  snapshotState(): NexmarkState {
    return { emitted: this.emitted };
  }

  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    if (this.emitted >= this.total) return null;
    // Run split across workers, this one generates events index, index + n, index + 2n, …
    const stride = this.stride;
    const first = this.firstEvent;
    let n = Math.min(MAX_BATCH, this.total - this.emitted);
    if (!this.maxEmitSpeed) {
      // Events are due when their event time, counted from the first one emitted, has passed on the wall clock.
      const elapsed = Date.now() - this.startMs;
      const origin = this.gen.timestamp(first + this.startEvent * stride);
      let due = 0;
      while (due < n && this.gen.timestamp(first + (this.emitted + due) * stride) - origin <= elapsed) due++;
      if (due === 0) {
        const wait = Math.min(Math.max(1, this.gen.timestamp(first + this.emitted * stride) - origin - elapsed), Math.max(1, timeoutMs));
        await sleep(wait, this.ctx.signal);
        return [];
      }
      n = due;
    }
    const rows = new Array<Row>(n);
    const ex = this.extract;
    for (let r = 0; r < n; r++) {
      const e = this.gen.event(first + (this.emitted + r) * stride);
      const row = new Array(ex.length);
      for (let i = 0; i < ex.length; i++) row[i] = ex[i](e);
      rows[r] = row;
    }
    this.emitted += n;
    return [{ split: this.split, rows }];
  }

  async close(): Promise<void> {}
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

export const nexmarkFactory: ConnectorFactory = {
  identifier: 'nexmark',
  description: "The Nexmark benchmark's event stream (persons, auctions, bids) as the suite's `datagen` table, deterministic, bounded by events.num",
  options: NEXMARK_OPTIONS,
  createSource: (table, scan) => new NexmarkSource(table, scan),
  isBounded: (table) => Number(getOption(table.options, NEXMARK_OPTIONS, 'events.num') ?? '0') > 0,
};
