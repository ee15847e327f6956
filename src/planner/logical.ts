// The logical plan: relational operators over bound expressions, as the binder builds them
// from the AST (before physical choices such as Calc fusion, pushdown or window aggregation).
import type { ConnectorFactory, TableDescriptor } from '../common/connector.js';
import type { Field } from '../common/types.js';
import type { RexNode } from './rex.js';
import type { AggCall, MatchSpec, OverCall, RankFunction, SortKey, WatermarkSpec, WindowSpec } from './physical.js';

/** A field of a plan node; time attributes are tracked through plain projections. */
export interface PlanField extends Field {
  timeAttr?: 'rowtime' | 'proctime';
}

/** A catalog table made ready for reading or writing. */
export interface ResolvedTable {
  name: string;
  descriptor: TableDescriptor;
  factory: ConnectorFactory;
  /** What the source produces: physical columns, then the table's metadata columns (declared order). */
  producedFields: Field[];
  /** The table row: every column in declared order. */
  fields: PlanField[];
  /** Builds the table row from the produced row; absent when they are the same. */
  computed?: RexNode[];
  watermark?: WatermarkSpec;
  /** Metadata keys the source must append, in order. */
  metadataKeys: string[];
}

export type LogicalNode =
  | { kind: 'Scan'; table: ResolvedTable; fields: PlanField[] }
  | { kind: 'Project'; input: LogicalNode; exprs: RexNode[]; fields: PlanField[] }
  | { kind: 'Filter'; input: LogicalNode; condition: RexNode; fields: PlanField[] }
  | { kind: 'WindowTVF'; input: LogicalNode; window: WindowSpec; fields: PlanField[] }
  /** Output: [group keys…, window_start, window_end, window_time, aggregates…]. */
  | { kind: 'WindowAggregate'; input: LogicalNode; window: WindowSpec; groupKeys: number[]; aggs: AggCall[]; fields: PlanField[] }
  /** Output: [group keys…, aggregates…]. */
  | { kind: 'Aggregate'; input: LogicalNode; groupKeys: number[]; aggs: AggCall[]; fields: PlanField[] }
  /**
   * `lookup`: the right side is `FOR SYSTEM_TIME AS OF` a processing-time attribute (a lookup join);
   * `asOf`: AS OF the left rowtime at this index (an event-time temporal join on a versioned table).
   */
  | { kind: 'Join'; joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'; left: LogicalNode; right: LogicalNode; condition?: RexNode; fields: PlanField[]; lookup?: boolean; asOf?: number }
  /** Each input row once per projection (GROUPING SETS: keys outside the set NULL, then the set number). */
  | { kind: 'Expand'; input: LogicalNode; projections: RexNode[][]; fields: PlanField[] }
  /**
   * [NOT] IN / [NOT] EXISTS subqueries: the left rows that have (semi) or have not (anti) a right
   * row satisfying `condition` (over the left fields then the right ones). `nullAware`: NOT IN's
   * [left, right] key pair, where a NULL on either side matches. Output: the left row.
   */
  /** `mark`: every left row, followed by a BOOLEAN: whether it has a match (EXISTS / IN as a value, three-valued for IN). */
  | { kind: 'SemiJoin'; anti: boolean; left: LogicalNode; right: LogicalNode; condition?: RexNode; nullAware?: [number, number]; mark?: boolean; fields: PlanField[] }
  /** INTERSECT ALL / EXCEPT ALL: each input row (its last column a count) that many times, without the count. */
  | { kind: 'Replicate'; input: LogicalNode; fields: PlanField[] }
  /** UNNEST: each input row followed by each element of `expr` (an ARRAY or MAP over the row); `outer` keeps rows with none. */
  | { kind: 'Unnest'; input: LogicalNode; expr: RexNode; ordinality: boolean; outer: boolean; fields: PlanField[] }
  | { kind: 'Union'; inputs: LogicalNode[]; fields: PlanField[] }
  | { kind: 'Sort'; input: LogicalNode; keys: SortKey[]; limit?: number; offset?: number; fields: PlanField[] }
  /** ROW_NUMBER()/RANK()/DENSE_RANK() OVER (PARTITION BY … ORDER BY …): the input row plus its number (BIGINT); `fn` absent = ROW_NUMBER. */
  | { kind: 'Rank'; input: LogicalNode; partitionKeys: number[]; orderKeys: SortKey[]; fields: PlanField[]; fn?: RankFunction }
  /** Aggregates OVER (PARTITION BY … ORDER BY time ROWS|RANGE … PRECEDING): the input row plus one column per aggregate. */
  | { kind: 'OverAggregate'; input: LogicalNode; partitionKeys: number[]; orderKey: number; rows: boolean; preceding?: number; aggs: AggCall[]; fields: PlanField[] }
  /** Batch OVER windows of one PARTITION BY/ORDER BY (any order, any frame, window functions): the input row plus one column per call. */
  | { kind: 'OverWindow'; input: LogicalNode; partitionKeys: number[]; orderKeys: SortKey[]; calls: OverCall[]; fields: PlanField[] }
  /** MATCH_RECOGNIZE: output [partition keys…, measures…], one row per match. */
  | { kind: 'MatchRecognize'; input: LogicalNode; spec: MatchSpec; fields: PlanField[] }
  | { kind: 'Values'; rows: RexNode[][]; fields: PlanField[] }
  | { kind: 'Sink'; input: LogicalNode; table: ResolvedTable; fields: PlanField[] };

export function logicalChildren(n: LogicalNode): LogicalNode[] {
  switch (n.kind) {
    case 'Scan':
    case 'Values':
      return [];
    case 'Union':
      return n.inputs;
    case 'Join':
    case 'SemiJoin':
      return [n.left, n.right];
    default:
      return [n.input];
  }
}
