// The physical plan: what the runtime builds operators from. Every node lists its output fields;
// expressions are bound RexNodes over the node's input row.
import type { ConnectorFactory, ScanRequest, TableDescriptor } from '../common/connector.js';
import type { Field, LogicalType } from '../common/types.js';
import type { RexNode } from './rex.js';

/** The ranking function of a Rank, Top-N or Window Top-N. */
export type RankFunction = 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';

export type WindowKind = 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';

export interface WindowSpec {
  kind: WindowKind;
  /** The time attribute column of the input (event time or processing time). */
  timeIndex: number;
  /** Whether timeIndex is an event-time (rowtime) attribute; else processing time. */
  eventTime: boolean;
  /** Micros. TUMBLE/HOP/CUMULATE: window size; SESSION: gap. */
  size: number;
  /** HOP: slide; CUMULATE: step (micros). */
  slide?: number;
  offset: number;
  /** SESSION ... PARTITION BY keys (input indices). */
  partitionKeys: number[];
  /** Type of window_start/window_end (TIMESTAMP(3) or TIMESTAMP_LTZ(3)). */
  boundType: LogicalType;
  /**
   * A window aggregation over rows that already carry their window (a window TVF's rows after a
   * window semi/anti join): each row goes to the window of its window_start/window_end columns
   * (input indices) instead of being assigned by its time, as Flink's window-attached strategy.
   */
  attached?: { start: number; end: number };
  /**
   * Batch mode over a column other than TIMESTAMP(3) (TIMESTAMP(p ≠ 3), TIMESTAMP_LTZ(p)), and
   * streaming mode over a TIMESTAMP_LTZ time attribute: its type, which window_time takes (NOT
   * NULL); the runtime reads the column to the millisecond, a TIMESTAMP_LTZ one as the session time
   * zone's wall clock (src/runtime/operators/window.ts windowTimeColumn). Undefined: window_time is
   * boundType.
   */
  timeType?: LogicalType;
}

export interface AggCall {
  /** Aggregate function name (src/functions). */
  fn: string;
  /** Input column indices of the arguments. */
  args: number[];
  argTypes: LogicalType[];
  distinct: boolean;
  /** Input column index of a BOOLEAN filter (FILTER (WHERE …)), if any. */
  filter?: number;
  type: LogicalType;
  name: string;
  /** LAG/LEAD: how many rows back (LAG) or ahead (LEAD); NTILE: the number of buckets. */
  offset?: number;
}

/**
 * One edge of an OVER frame (batch). `preceding`/`following`: a number of rows (ROWS) or an
 * amount of the order key (RANGE, in the key's runtime representation).
 */
export type FrameEdge = { kind: 'unbounded' } | { kind: 'current' } | { kind: 'preceding' | 'following'; amount: number | bigint };

export interface OverFrame {
  rows: boolean;
  lower: FrameEdge;
  upper: FrameEdge;
}

/**
 * A call of a batch OVER window: an aggregate over its frame, or a window function (ROW_NUMBER,
 * RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD) over its partition in order.
 * LAG/LEAD args: [value, default?].
 */
export interface OverCall extends AggCall {
  frame: OverFrame;
}

export interface WatermarkSpec {
  /** Column of the source row that is the rowtime attribute. */
  rowtimeIndex: number;
  /** The watermark expression over the source row (after computed columns). */
  expr: RexNode;
}

export type PhysicalNode =
  | {
      kind: 'Source';
      id: number;
      name: string;
      table: TableDescriptor;
      factory: ConnectorFactory;
      scan: ScanRequest;
      /** Builds the table row (physical, metadata and computed columns in declared order) from what the source produces; absent when the source already produces it. */
      computed?: RexNode[];
      watermark?: WatermarkSpec;
      fields: Field[];
      /** The lookup side of a lookup join: read whole on every start, never restored from state. */
      lookup?: boolean;
    }
  /** `changelog`: the input carries row kinds, which the projection keeps. */
  | { kind: 'Calc'; input: PhysicalNode; filter?: RexNode; projection?: RexNode[]; fields: Field[]; changelog?: boolean }
  /** A window TVF without aggregation: appends window_start, window_end, window_time. */
  /** `changelog`: over an updating input (feeding a regular GROUP BY on the window bounds): row kinds kept, no row dropped as late. */
  | { kind: 'WindowTableFunction'; input: PhysicalNode; window: WindowSpec; fields: Field[]; changelog?: boolean }
  /** Window aggregation. Output: [group keys…, window_start, window_end, window_time, aggregates…]. `streaming`: in streaming mode (Flink's two phases, whose order of floating-point additions tsstream follows). */
  | { kind: 'WindowAggregate'; input: PhysicalNode; window: WindowSpec; groupKeys: number[]; aggs: AggCall[]; fields: Field[]; streaming?: boolean }
  /**
   * Regular GROUP BY: [group keys…, aggregates…]. Batch mode emits once at the end; streaming mode
   * (`updating`) emits a changelog: +I for a new group, -U/+U pairs when its result changes.
   */
  | { kind: 'GroupAggregate'; input: PhysicalNode; groupKeys: number[]; aggs: AggCall[]; fields: Field[]; updating?: boolean; retracting?: boolean }
  | { kind: 'Sort'; input: PhysicalNode; keys: SortKey[]; limit?: number; offset?: number; fields: Field[] }
  /** MATCH_RECOGNIZE: per partition, rows in time order run through the pattern; one row per match (partition keys, measures). Insert-only. */
  | { kind: 'MatchRecognize'; input: PhysicalNode; spec: MatchSpec; fields: Field[] }
  /**
   * Streaming ORDER BY an ascending time attribute (then other keys): event time holds rows until
   * the watermark passes them, then emits them sorted (late rows dropped); processing time sorts
   * each arriving batch by the other keys. Append-only.
   */
  | { kind: 'TemporalSort'; input: PhysicalNode; keys: SortKey[]; eventTime: boolean; fields: Field[] }
  | { kind: 'Union'; inputs: PhysicalNode[]; fields: Field[] }
  /**
   * Semi / anti join ([NOT] IN, [NOT] EXISTS): the left rows with (without) a matching right row.
   * Batch: left rows wait until the right input has ended. Streaming: both sides are state; a
   * left row is emitted, or retracted, as its number of matches leaves or reaches 0 (a changelog).
   * `nullAware` (NOT IN): a [left, right] column pair where NULL on either side matches.
   */
  | {
      kind: 'SemiJoin';
      anti: boolean;
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      nullAware?: [number, number];
      condition?: RexNode;
      /** Every left row with a BOOLEAN appended: has a match (EXISTS), or IN's three-valued answer for the `nullAware` pair. */
      mark?: boolean;
      streaming: boolean;
      /**
       * Flink's window semi/anti join: both inputs are window TVF (or window aggregation) results
       * with the same event-time window, joined on equal window_start and window_end. Rows wait per
       * window until the watermark passes window_end; then the window's left rows with (without) a
       * match go out, insert-only, and its state is freed. Late rows are dropped.
       */
      window?: { left: WindowSpec; right: WindowSpec; leftStart: number; leftEnd: number; rightStart: number; rightEnd: number };
      fields: Field[];
    }
  /** Each input row (its last column a count) that many times without the count, keeping its row kind (INTERSECT/EXCEPT ALL). Stateless. */
  | { kind: 'Replicate'; input: PhysicalNode; fields: Field[] }
  /** CROSS JOIN UNNEST: each input row followed by each element (ROW fields, MAP key and value, ordinality) of `expr`, keeping its kind. Stateless. */
  | { kind: 'Unnest'; input: PhysicalNode; expr: RexNode; ordinality: boolean; outer: boolean; fields: Field[] }
  /** Each input row once per projection, keeping its row kind (GROUPING SETS). Stateless. */
  | { kind: 'Expand'; input: PhysicalNode; projections: RexNode[][]; fields: Field[] }
  | {
      kind: 'HashJoin';
      joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      /** Extra condition over the joined row (left fields then right fields). */
      condition?: RexNode;
      fields: Field[];
    }
  /**
   * ROW_NUMBER() OVER (PARTITION BY … ORDER BY …), output [input…, row number]. Batch: every row
   * numbered once the input ends (`limit` keeps rows numbered up to it). Streaming: deduplication
   * only (limit 1 ordered by a time attribute): ascending keeps the first row per key (append),
   * descending keeps the last (a changelog, `updating`).
   */
  | {
      kind: 'Rank';
      input: PhysicalNode;
      partitionKeys: number[];
      orderKeys: SortKey[];
      limit?: number;
      streaming: boolean;
      updating?: boolean;
      fields: Field[];
      fn?: RankFunction;
      /** Streaming deduplication: whether the order key is the rowtime or the proctime attribute (EXPLAIN's order=[…]). */
      timeOrder?: 'ROWTIME' | 'PROCTIME';
    }
  /**
   * Streaming Top-N: `fn() OVER (PARTITION BY … ORDER BY …) … WHERE rn <= limit`, output
   * [input…, rank number], a changelog. `outputRank`: the query reads the number (a row whose rank
   * changes is updated); `retracting`: the input is updating, so every row is kept in state.
   */
  | {
      kind: 'TopN';
      input: PhysicalNode;
      partitionKeys: number[];
      orderKeys: SortKey[];
      fn: RankFunction;
      limit: number;
      outputRank: boolean;
      retracting: boolean;
      fields: Field[];
      /** A streaming ORDER BY … LIMIT (Flink's SortLimit): the rows from `offset` on of the first `limit`. */
      sortLimit?: { offset: number };
    }
  /**
   * Window Top-N over a window TVF or a window aggregation, partitioned by (at least) window_start
   * and window_end: append-only output [input…, rank number] when the watermark passes the window end.
   */
  | {
      kind: 'WindowRank';
      input: PhysicalNode;
      partitionKeys: number[];
      orderKeys: SortKey[];
      fn: RankFunction;
      limit: number;
      windowEnd: number;
      /** The input's window and where its window_start is (EXPLAIN's window=[…]). */
      window?: WindowSpec;
      windowStart?: number;
      fields: Field[];
    }
  /**
   * Aggregates over a window of preceding rows of the same partition, ordered by a time attribute:
   * a row is emitted once the watermark passes its time (rowtime) or as it arrives (proctime),
   * with the aggregates over the frame ending at it. `preceding`: rows (ROWS) or micros (RANGE);
   * absent = UNBOUNDED PRECEDING.
   */
  | { kind: 'OverAggregate'; input: PhysicalNode; partitionKeys: number[]; orderKey: number; eventTime: boolean; rows: boolean; preceding?: number; aggs: AggCall[]; fields: Field[] }
  /**
   * Batch OVER window: when the input ends, each partition is sorted by `orderKeys` and every row is
   * emitted with one column per call (aggregates over their frames, window functions).
   */
  | { kind: 'OverWindow'; input: PhysicalNode; partitionKeys: number[]; orderKeys: SortKey[]; calls: OverCall[]; fields: Field[] }
  /** Constant rows: expressions without input references, evaluated when the job starts. */
  /**
   * Streaming interval join (inner): rows of both inputs with equal keys whose event times satisfy
   * lower <= left.time - right.time <= upper (micros). State is cleaned up by the watermark.
   */
  /**
   * Regular streaming join on equal keys: every row is kept (unbounded state). INNER emits inserts
   * only; LEFT/RIGHT/FULL emit a changelog (a padded row is retracted when its first match comes).
   */
  | {
      kind: 'StreamingJoin';
      joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      condition?: RexNode;
      fields: Field[];
    }
  | {
      kind: 'IntervalJoin';
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      leftTime: number;
      rightTime: number;
      lower: number;
      upper: number;
      condition?: RexNode;
      fields: Field[];
    }
  /**
   * Lookup join (`FOR SYSTEM_TIME AS OF proctime`): the right side, a bounded table, is read
   * whole into a hash table; each left row looks up its key. INNER or LEFT.
   */
  | {
      kind: 'LookupJoin';
      joinType: 'INNER' | 'LEFT';
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      condition?: RexNode;
      fields: Field[];
      /**
       * The lookup table's connector looks rows up by key (jdbc): `right` (a Source, maybe under a
       * Calc) is not read whole; each batch of left rows asks for its keys, `keyColumns` being the
       * indices into the table's physical columns that rightKeys read.
       */
      keyed?: { keyColumns: number[] };
      /**
       * The table read whole is read again on this period ('lookup.full-cache.periodic-reload.*'):
       * lookups switch to the new rows when the read completes. Absent: read once at start.
       */
      reload?: { intervalMs: number; fixedRate: boolean };
    }
  /**
   * Event-time temporal join (`JOIN versioned FOR SYSTEM_TIME AS OF l.rowtime ON l.k = v.pk`): a
   * left row waits until the watermark passes its time, then joins the version of its key valid
   * then (the latest with version time <= its time, unless deleted). Append-only; versions older
   * than the one valid at the watermark are dropped.
   */
  | {
      kind: 'TemporalJoin';
      joinType: 'INNER' | 'LEFT';
      left: PhysicalNode;
      right: PhysicalNode;
      leftKeys: number[];
      rightKeys: number[];
      leftTime: number;
      rightTime: number;
      condition?: RexNode;
      fields: Field[];
    }
  | { kind: 'Values'; rows: RexNode[][]; fields: Field[] }
  | { kind: 'Sink'; input: PhysicalNode; name: string; table: TableDescriptor; factory: ConnectorFactory; fields: Field[] }
  /** Rows returned to the caller (a SELECT in the shell or a test). */
  | { kind: 'Collect'; input: PhysicalNode; fields: Field[] };

/** One element of a MATCH_RECOGNIZE pattern: a variable with its quantifier. */
export interface PatternElement {
  variable: string;
  min: number;
  /** Undefined: unbounded. */
  max?: number;
  /** Greedy (the default) or reluctant (`*?`, `+?`, `{n,m}?`). */
  greedy: boolean;
}

/**
 * A value a MATCH_RECOGNIZE expression reads from the (partial) match: `LAST(A.price, 1)`,
 * `PREV(price)`, `SUM(A.price)`, `MATCH_ROWTIME()`. `variable` undefined: every row of the match.
 * `expr` is over the input row (one row of the variable).
 */
export interface MatchSlot {
  nav: 'LAST' | 'FIRST' | 'PREV' | 'AGG' | 'MATCH_ROWTIME' | 'MATCH_PROCTIME';
  variable?: string;
  offset: number;
  expr?: RexNode;
  /** AGG: the arguments after the first (`expr`), e.g. LISTAGG's separator. */
  moreArgs?: RexNode[];
  /** AGG: the aggregate function and its argument types. */
  agg?: { fn: string; argTypes: LogicalType[]; star: boolean };
  type: LogicalType;
  /** As written, for EXPLAIN. */
  text: string;
}

/** Expressions over a row of slot values. */
export interface MatchExprs {
  slots: MatchSlot[];
  exprs: RexNode[];
}

export interface MatchSpec {
  /** Batch mode: every row runs at the end of the input, sorted by ORDER BY (no row is late). */
  batch?: boolean;
  partitionKeys: number[];
  /** The first is the time attribute, ascending. */
  orderKeys: SortKey[];
  eventTime: boolean;
  pattern: PatternElement[];
  /** The PATTERN as written (EXPLAIN). */
  patternText: string;
  skip: { kind: 'PAST LAST ROW' | 'TO NEXT ROW' | 'TO FIRST' | 'TO LAST'; variable?: string };
  withinMicros?: number;
  /** DEFINE conditions by variable (variables without one match every row). */
  define: Record<string, MatchExprs & { text: string }>;
  /** The MEASURES, evaluated once per match. */
  measures: MatchExprs & { names: string[] };
}

export interface SortKey {
  index: number;
  descending: boolean;
  nullsFirst: boolean;
}

/** The inputs of a node, left before right (read off mapChildren, the one place that knows each kind's input fields). */
export function children(n: PhysicalNode): PhysicalNode[] {
  const out: PhysicalNode[] = [];
  mapChildren(n, (c) => {
    out.push(c);
    return c;
  });
  return out;
}

/** A copy of the node with each input replaced by `f` of it, left before right (the node itself when it has none). */
export function mapChildren(n: PhysicalNode, f: (c: PhysicalNode) => PhysicalNode): PhysicalNode {
  switch (n.kind) {
    case 'Source':
    case 'Values':
      return n;
    case 'Union':
      return { ...n, inputs: n.inputs.map((c) => f(c)) };
    case 'HashJoin':
    case 'IntervalJoin':
    case 'LookupJoin':
    case 'StreamingJoin':
    case 'SemiJoin':
    case 'TemporalJoin':
      return { ...n, left: f(n.left), right: f(n.right) };
    default:
      return { ...n, input: f(n.input) };
  }
}
