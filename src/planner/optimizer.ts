// From the logical plan to the physical plan: fuses Project/Filter into Calc, pushes simple
// predicates into sources, chooses window aggregation, and checks what streaming mode allows.
import { PlanningError, ValidationError } from '../common/errors.js';
import { lookupReload } from '../common/options.js';
import type { PushdownPredicate } from '../common/connector.js';
import type { LogicalNode, PlanField } from './logical.js';
import { withNullable } from '../common/types.js';
import type { AggCall, PhysicalNode, WindowSpec } from './physical.js';
import { inputRefs, remapInputs, type RexNode } from './rex.js';

export interface OptimizeOptions {
  batch: boolean;
}

let sourceIds = 0;

export function toPhysical(n: LogicalNode, opts: OptimizeOptions): PhysicalNode {
  switch (n.kind) {
    case 'Scan':
      return scan(n, undefined, opts);
    case 'Filter': {
      if (n.input.kind === 'Join' && n.input.joinType === 'INNER') {
        // WHERE over an inner join (FROM a, b WHERE …) is the join's condition.
        const j = n.input;
        const condition: RexNode = j.condition ? { kind: 'call', op: 'AND', args: [j.condition, n.condition], type: { kind: 'BOOLEAN', nullable: true } } : n.condition;
        return toPhysical({ ...j, condition }, opts);
      }
      const ranked = rankFilter(n, true, opts);
      if (ranked) return ranked;
      if (n.input.kind === 'Scan') {
        const src = scan(n.input, n.condition, opts);
        return { kind: 'Calc', input: src, filter: n.condition, fields: n.fields, changelog: isUpdating(src) || undefined };
      }
      const input = toPhysical(n.input, opts);
      return { kind: 'Calc', input, filter: n.condition, fields: n.fields, changelog: isUpdating(input) || undefined };
    }
    case 'Project': {
      // Over a Top-N filter: whether the rank number is read decides the Top-N's changelog.
      const ranked = n.input.kind === 'Filter' ? rankFilter(n.input, readsRankNumber(n.exprs, n.input), opts) : undefined;
      let input = ranked ?? toPhysical(n.input, opts);
      let exprs = n.exprs;
      if (input.kind === 'StreamingJoin') {
        const pruned = pruneJoinInputs(input, exprs);
        if (pruned) ({ join: input, exprs } = pruned);
      }
      // An identity projection is dropped; its names and types stay (a reference may be typed nullable, as TUMBLE_ROWTIME).
      if (isIdentity(exprs, input.fields.length)) return { ...input, fields: input.fields.map((f, i) => ({ ...f, name: n.fields[i].name, type: exprs[i].type })) } as PhysicalNode;
      // Merge with a Calc below that only filters (or projects: inline its expressions).
      if (input.kind === 'Calc') {
        const below = input;
        const merged = below.projection ? exprs.map((e) => remapInputs(e, (i) => below.projection![i])) : exprs;
        if (!below.projection || merged.every((e) => countNodes(e) < 64)) {
          return { kind: 'Calc', input: below.input, filter: below.filter, projection: merged, fields: n.fields, changelog: below.changelog };
        }
      }
      return { kind: 'Calc', input, projection: exprs, fields: n.fields, changelog: isUpdating(input) || undefined };
    }
    case 'WindowTVF':
      return { kind: 'WindowTableFunction', input: toPhysical(n.input, opts), window: n.window, fields: n.fields };
    case 'WindowAggregate': {
      const { input, map } = foldRefProjection(toPhysical(n.input, opts));
      const attached = n.window.attached && { start: map(n.window.attached.start), end: map(n.window.attached.end) };
      const window = { ...n.window, timeIndex: map(n.window.timeIndex), partitionKeys: n.window.partitionKeys.map(map), attached };
      if (!opts.batch && isUpdating(input)) {
        // Over an updating input (NOT IN / NOT EXISTS in its WHERE: an anti join takes rows back)
        // Flink plans no window aggregation: the window TVF's bounds become plain columns of a
        // regular GROUP BY (COUNT_RETRACT, …), a changelog. The same here.
        if (n.window.kind === 'SESSION') throw new PlanningError('A streaming SESSION window aggregation over an updating input (e.g. NOT IN / NOT EXISTS in its WHERE) is not supported; use TUMBLE, HOP or CUMULATE, or batch mode');
        const k = n.groupKeys.length;
        const bounds = n.fields.slice(k, k + 3).map((f) => ({ name: f.name, type: f.type }));
        const w0 = input.fields.length;
        const tvf: PhysicalNode = { kind: 'WindowTableFunction', input, window, fields: [...input.fields, ...bounds], changelog: true };
        return {
          kind: 'GroupAggregate',
          input: tvf,
          groupKeys: [...n.groupKeys.map(map), w0, w0 + 1, w0 + 2],
          aggs: n.aggs.map((a) => remapAgg(a, map)),
          fields: n.fields.map((f) => ({ name: f.name, type: f.type })),
          updating: true,
          retracting: true,
        };
      }
      return { kind: 'WindowAggregate', input, window, groupKeys: n.groupKeys.map(map), aggs: n.aggs.map((a) => remapAgg(a, map)), fields: n.fields, ...(opts.batch ? {} : { streaming: true }) };
    }
    case 'Aggregate': {
      const { input, map } = foldRefProjection(toPhysical(n.input, opts));
      // Streaming: a changelog; DISTINCT (no aggregates) over an append-only input never updates a row.
      // Over an updating input (another GROUP BY, an outer join) the aggregates take rows back.
      const retracting = !opts.batch && isUpdating(input);
      return {
        kind: 'GroupAggregate',
        input,
        groupKeys: n.groupKeys.map(map),
        aggs: n.aggs.map((a) => remapAgg(a, map)),
        fields: n.fields,
        updating: opts.batch ? undefined : n.aggs.length > 0 || retracting,
        retracting: retracting || undefined,
      };
    }
    case 'Join': {
      const keyed = pushJoinKeyExpressions(n);
      if (keyed) return toPhysical(keyed, opts);
      const leftWidth = n.left.fields.length;
      const { leftKeys, rightKeys, rest } = equiKeys(n.condition, leftWidth);
      if (n.asOf !== undefined) return temporalJoin(n, n.asOf, leftKeys, rightKeys, rest, opts);
      if (n.lookup) {
        if (!leftKeys.length) throw new PlanningError('A lookup join needs an equality condition between the left table and the lookup table');
        // The lookup side is read whole (bounded), whatever the runtime mode, unless its connector
        // looks rows up by key (keyedLookup).
        const right = markLookup(toPhysical(n.right, { ...opts, batch: true }));
        const keyed = keyedLookup(right, rightKeys);
        const reload = keyed ? undefined : lookupReload(lookupSource(right).table.options);
        return {
          kind: 'LookupJoin',
          joinType: n.joinType === 'LEFT' ? 'LEFT' : 'INNER',
          left: toPhysical(n.left, opts),
          right,
          leftKeys,
          rightKeys,
          condition: rest,
          fields: n.fields,
          ...(keyed ? { keyed } : {}),
          ...(reload ? { reload } : {}),
        };
      }
      if (!opts.batch) {
        const interval = n.joinType === 'INNER' ? intervalBounds(rest, n.left.fields, n.right.fields) : undefined;
        if (!interval) {
          const left = toPhysical(n.left, opts);
          const right = toPhysical(n.right, opts);
          // A regular join keeps every row of both inputs (unbounded state, as Flink without state
          // TTL). Without an equality (a non-equi or cross join) every row shares one key, as in
          // Flink, which runs such a join with parallelism 1.
          return { kind: 'StreamingJoin', joinType: n.joinType, left, right, leftKeys, rightKeys, condition: rest, fields: n.fields };
        }
        return {
          kind: 'IntervalJoin',
          left: toPhysical(n.left, opts),
          right: toPhysical(n.right, opts),
          leftKeys,
          rightKeys,
          leftTime: interval.leftTime,
          rightTime: interval.rightTime,
          lower: interval.lower,
          upper: interval.upper,
          condition: interval.rest,
          fields: n.fields,
        };
      }
      return {
        kind: 'HashJoin',
        joinType: n.joinType,
        left: toPhysical(n.left, opts),
        right: toPhysical(n.right, opts),
        leftKeys,
        rightKeys,
        condition: rest,
        fields: n.fields,
      };
    }
    case 'Union':
      return { kind: 'Union', inputs: n.inputs.map((i) => toPhysical(i, opts)), fields: n.fields };
    case 'Unnest':
      return { kind: 'Unnest', input: toPhysical(n.input, opts), expr: n.expr, ordinality: n.ordinality, outer: n.outer, fields: n.fields };
    case 'Replicate':
      return { kind: 'Replicate', input: toPhysical(n.input, opts), fields: n.fields };
    case 'Expand':
      return { kind: 'Expand', input: toPhysical(n.input, opts), projections: n.projections, fields: n.fields };
    case 'SemiJoin': {
      const { leftKeys, rightKeys, rest } = equiKeys(n.condition, n.left.fields.length);
      const left = toPhysical(n.left, opts);
      const right = toPhysical(n.right, opts);
      const window = opts.batch || n.mark ? undefined : windowSemiJoin(left, right, leftKeys, rightKeys);
      return { kind: 'SemiJoin', anti: n.anti, left, right, leftKeys, rightKeys, nullAware: n.nullAware, condition: rest, mark: n.mark, streaming: !opts.batch, window, fields: n.fields };
    }
    case 'Sort':
      if (!opts.batch && n.keys.length > 0) return streamingSort(n, opts);
      return { kind: 'Sort', input: toPhysical(n.input, opts), keys: n.keys, limit: n.limit, offset: n.offset, fields: n.fields };
    case 'Rank':
      return rankNode(n, undefined, opts);
    case 'MatchRecognize': {
      const input = toPhysical(n.input, opts);
      if (isUpdating(input)) throw new PlanningError("Match Recognize doesn't support consuming update changes (its input is an updating table, e.g. a GROUP BY result)");
      return { kind: 'MatchRecognize', input, spec: n.spec, fields: n.fields };
    }
    case 'OverAggregate': {
      const input = toPhysical(n.input, opts);
      if (isUpdating(input)) throw new PlanningError('OVER aggregates over an updating input are not supported');
      const eventTime = n.input.fields[n.orderKey]?.timeAttr === 'rowtime';
      return { kind: 'OverAggregate', input, partitionKeys: n.partitionKeys, orderKey: n.orderKey, eventTime, rows: n.rows, preceding: n.preceding, aggs: n.aggs, fields: n.fields };
    }
    case 'OverWindow':
      return { kind: 'OverWindow', input: toPhysical(n.input, opts), partitionKeys: n.partitionKeys, orderKeys: n.orderKeys, calls: n.calls, fields: n.fields };
    case 'Values':
      return { kind: 'Values', rows: n.rows, fields: n.fields };
    case 'Sink': {
      const input = toPhysical(n.input, opts);
      const sinkMode = n.table.factory.sinkChangelogMode;
      if (isUpdating(input) && (typeof sinkMode === 'function' ? sinkMode(n.table.descriptor) : sinkMode) !== 'all') {
        throw new PlanningError(
          `Table sink '${n.table.name}' (connector '${n.table.factory.identifier}') doesn't support consuming update changes which are produced by a GROUP BY without a window in streaming mode. Use a window TVF (FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, …), batch mode, or a sink that accepts updates (print, memory).`,
        );
      }
      return { kind: 'Sink', input, name: n.table.name, table: n.table.descriptor, factory: n.table.factory, fields: n.fields };
    }
  }
}

/**
 * `rn = N` / `rn <= N` / `rn < N` (also `N >= rn`, BETWEEN … AND N) over a projection of a
 * Rank's number: the rank's limit, and whether other conjuncts read the number.
 */
function rankLimit(f: Extract<LogicalNode, { kind: 'Filter' }>): { limit: number; otherRefs: boolean } | undefined {
  const proj = f.input;
  if (proj.kind !== 'Project' || proj.input.kind !== 'Rank') return undefined;
  const rownum = proj.input.fields.length - 1;
  const isRn = (e: RexNode) => e.kind === 'input' && proj.exprs[e.index]?.kind === 'input' && (proj.exprs[e.index] as { index: number }).index === rownum;
  const num = (e: RexNode) => (e.kind === 'literal' && typeof e.value === 'number' ? e.value : undefined);
  let limit: number | undefined;
  let otherRefs = false;
  for (const c of conjuncts(f.condition)) {
    let n: number | undefined;
    if (c.kind === 'call' && c.args.length === 2) {
      const [a, b] = c.args;
      const op = isRn(a) ? c.op : isRn(b) ? FLIP[c.op] : undefined;
      const v = isRn(a) ? num(b) : num(a);
      if (v !== undefined && (op === '=' || op === '<=')) n = v;
      else if (v !== undefined && op === '<') n = v - 1;
    }
    if (c.kind === 'call' && c.op === 'BETWEEN' && isRn(c.args[0]) && num(c.args[2]) !== undefined) {
      n = num(c.args[2]);
      if (num(c.args[1]) !== 1) otherRefs = true;
    }
    if (n !== undefined) {
      if (c.kind === 'call' && c.op === '=' && n !== 1) otherRefs = true; // rn = 3 also needs rn >= 3
      limit = limit === undefined ? n : Math.min(limit, n);
      continue;
    }
    if ([...inputRefs(c)].some((i) => isRn({ kind: 'input', index: i } as RexNode))) otherRefs = true;
  }
  return limit === undefined ? undefined : { limit, otherRefs };
}

/** Whether expressions over a Top-N filter read the rank number column. */
function readsRankNumber(exprs: RexNode[], f: Extract<LogicalNode, { kind: 'Filter' }>): boolean {
  const proj = f.input;
  if (proj.kind !== 'Project' || proj.input.kind !== 'Rank') return true;
  const rownum = proj.input.fields.length - 1;
  return exprs.some((e) => [...inputRefs(e)].some((i) => proj.exprs[i]?.kind === 'input' && (proj.exprs[i] as { index: number }).index === rownum));
}

/** A filter on a rank number over a Rank: the Rank with its limit (a Top-N), under the filter. */
function rankFilter(n: Extract<LogicalNode, { kind: 'Filter' }>, outputRank: boolean, opts: OptimizeOptions): PhysicalNode | undefined {
  const r = rankLimit(n);
  if (!r) {
    // Flink's words: in streaming, a filter on a rank number that sets no upper end is not a Top-N.
    if (!opts.batch && n.input.kind === 'Project' && n.input.input.kind === 'Rank' && readsRankNumber([n.condition], n)) throw new PlanningError('Rank end is not specified. Currently rank only support TopN, which means the rank end must be specified.');
    return undefined;
  }
  const proj = n.input as Extract<LogicalNode, { kind: 'Project' }>;
  const rank = proj.input as Extract<LogicalNode, { kind: 'Rank' }>;
  const below: PhysicalNode = rankNode(rank, r.limit, opts, outputRank || r.otherRefs);
  const calc: PhysicalNode = { kind: 'Calc', input: below, projection: proj.exprs, fields: proj.fields, changelog: isUpdating(below) || undefined };
  return { kind: 'Calc', input: calc, filter: n.condition, fields: n.fields, changelog: isUpdating(below) || undefined };
}

function rankNode(n: Extract<LogicalNode, { kind: 'Rank' }>, limit: number | undefined, opts: OptimizeOptions, outputRank = true): PhysicalNode {
  const input = toPhysical(n.input, opts);
  const fn = n.fn ?? 'ROW_NUMBER';
  if (opts.batch) return { kind: 'Rank', input, partitionKeys: n.partitionKeys, orderKeys: n.orderKeys, limit, streaming: false, fields: n.fields, fn: n.fn };
  if (limit === undefined) {
    // Not a Top-N: Flink runs the ranking as an over aggregation ordered by one ascending time
    // attribute (ROW_NUMBER counts rows; RANK and DENSE_RANK count rows up to the current
    // timestamp's last, as Flink's streaming ranking does), and refuses any other order (its words).
    if (n.orderKeys.length !== 1) throw new PlanningError('The window can only be ordered by a single time column.');
    if (n.orderKeys[0].descending) throw new PlanningError('The window can only be ordered in ASCENDING mode.');
    const time = n.input.fields[n.orderKeys[0].index]?.timeAttr;
    if (!time) throw new PlanningError("OVER windows' ordering in stream mode must be defined on a time attribute.");
    if (isUpdating(input)) throw new PlanningError('OVER aggregates over an updating input are not supported');
    const agg: AggCall = { fn, args: [], argTypes: [], distinct: false, type: { kind: 'BIGINT', nullable: false }, name: '$rownum' };
    return { kind: 'OverAggregate', input, partitionKeys: n.partitionKeys, orderKey: n.orderKeys[0].index, eventTime: time === 'rowtime', rows: fn === 'ROW_NUMBER', aggs: [agg], fields: n.fields };
  }
  const key = n.orderKeys[0];
  const timeAttr = n.input.fields[key.index]?.timeAttr;
  const updating = isUpdating(input);
  if (fn === 'ROW_NUMBER' && limit === 1 && n.orderKeys.length === 1 && timeAttr && !updating) {
    return { kind: 'Rank', input, partitionKeys: n.partitionKeys, orderKeys: n.orderKeys, limit, streaming: true, updating: key.descending || timeAttr === 'rowtime', fields: n.fields, timeOrder: timeAttr === 'rowtime' ? 'ROWTIME' : 'PROCTIME' };
  }
  if (limit < 1) throw new PlanningError(`The Top-N limit must be at least 1, found ${limit}`);
  const window = updating ? undefined : windowColumns(input);
  const windowed = window !== undefined && window.eventTime && n.partitionKeys.includes(window.start) && n.partitionKeys.includes(window.end);
  // Flink 1.20's words: its streaming Top-N ranks by ROW_NUMBER() only (RANK/DENSE_RANK run in batch mode).
  if (fn !== 'ROW_NUMBER' && windowed) throw new PlanningError(`${fn}() function is not supported on Window TopN currently, only ROW_NUMBER() is supported.`);
  if (fn !== 'ROW_NUMBER') throw new PlanningError(`${fn}() on streaming table is not supported currently`);
  if (windowed) {
    return { kind: 'WindowRank', input, partitionKeys: n.partitionKeys, orderKeys: n.orderKeys, fn, limit, windowEnd: window.end, window: window.spec, windowStart: window.start, fields: n.fields };
  }
  return { kind: 'TopN', input, partitionKeys: n.partitionKeys, orderKeys: n.orderKeys, fn, limit, outputRank, retracting: updating, fields: n.fields };
}

/**
 * Event-time temporal join, as Flink checks it: the versioned side needs a primary key (declared,
 * or the key of a deduplication or GROUP BY) that the equality condition covers, and a rowtime.
 */
function temporalJoin(
  n: Extract<LogicalNode, { kind: 'Join' }>,
  leftTime: number,
  leftKeys: number[],
  rightKeys: number[],
  rest: RexNode | undefined,
  opts: OptimizeOptions,
): PhysicalNode {
  if (opts.batch) throw new PlanningError('Event-time temporal join (FOR SYSTEM_TIME AS OF a rowtime) is only supported in streaming mode, as in Flink.');
  const pk = primaryKeyOf(n.right);
  const rightTime = n.right.fields.findIndex((f) => f.timeAttr === 'rowtime');
  if (!pk || rightTime < 0) {
    throw new PlanningError(
      pk ? 'Event-Time Temporal Table Join requires both primary key and row time attribute in versioned table, but no row time attribute can be found.' : 'Temporal Table Join requires primary key in versioned table, but no primary key can be found.',
    );
  }
  if (!leftKeys.length) throw new PlanningError("Temporal table join requires an equality condition on fields of table '" + n.right.fields.map((f) => f.name).join(', ') + "'.");
  const missing = pk.filter((k) => !rightKeys.includes(k));
  if (missing.length) {
    throw new PlanningError(`Temporal table's primary key [${pk.map((k) => n.right.fields[k].name).join(', ')}] must be included in the equivalence condition of temporal join, but current temporal join condition is [${rightKeys.map((k) => n.right.fields[k].name).join(', ')}].`);
  }
  const left = toPhysical(n.left, opts);
  if (isUpdating(left)) throw new PlanningError('The left input of an event-time temporal join must only append (Flink: the probe side of a temporal join does not consume updates).');
  return {
    kind: 'TemporalJoin',
    joinType: n.joinType === 'LEFT' ? 'LEFT' : 'INNER',
    left,
    right: toPhysical(n.right, opts),
    leftKeys,
    rightKeys,
    leftTime,
    rightTime,
    condition: rest,
    fields: n.fields,
  };
}

/** The primary key of a plan's output (input indices): declared on a table, or a deduplication's or GROUP BY's key. */
function primaryKeyOf(n: LogicalNode): number[] | undefined {
  switch (n.kind) {
    case 'Scan': {
      const pk = n.table.descriptor.primaryKey;
      if (!pk?.length) return undefined;
      const idx = pk.map((c) => n.fields.findIndex((f) => f.name === c));
      return idx.every((i) => i >= 0) ? idx : undefined;
    }
    case 'Project': {
      const below = primaryKeyOf(n.input);
      if (!below) return undefined;
      const idx = below.map((k) => n.exprs.findIndex((e) => e.kind === 'input' && e.index === k));
      return idx.every((i) => i >= 0) ? idx : undefined;
    }
    case 'Filter': {
      const r = rankLimit(n);
      if (r?.limit === 1 && n.input.kind === 'Project' && n.input.input.kind === 'Rank') {
        const proj = n.input;
        const idx = n.input.input.partitionKeys.map((k) => proj.exprs.findIndex((e) => e.kind === 'input' && e.index === k));
        return idx.every((i) => i >= 0) ? idx : undefined;
      }
      return primaryKeyOf(n.input);
    }
    case 'Aggregate':
      return n.groupKeys.map((_, i) => i);
    default:
      return undefined;
  }
}

/**
 * ORDER BY in streaming mode, as Flink allows it: with LIMIT a Top-N over the whole input (a
 * changelog, any keys); without, a temporal sort on an ascending time attribute first.
 */
function streamingSort(n: Extract<LogicalNode, { kind: 'Sort' }>, opts: OptimizeOptions): PhysicalNode {
  const input = toPhysical(n.input, opts);
  const width = input.fields.length;
  if (n.limit !== undefined) {
    const offset = n.offset ?? 0;
    if (n.limit < 1) throw new PlanningError(`LIMIT ${n.limit} in streaming mode: the limit must be at least 1`);
    const topN: PhysicalNode = {
      kind: 'TopN',
      input,
      partitionKeys: [],
      orderKeys: n.keys,
      fn: 'ROW_NUMBER',
      limit: offset + n.limit,
      outputRank: offset > 0,
      retracting: isUpdating(input),
      fields: [...input.fields, { name: '$rownum', type: { kind: 'BIGINT', nullable: false } }],
      sortLimit: { offset },
    };
    const rank: RexNode = { kind: 'input', index: width, type: { kind: 'BIGINT', nullable: false } };
    const filter: RexNode | undefined = offset > 0 ? { kind: 'call', op: '>', args: [rank, { kind: 'literal', value: offset, type: { kind: 'BIGINT', nullable: false } }], type: { kind: 'BOOLEAN', nullable: false } } : undefined;
    const projection: RexNode[] = input.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type }));
    return { kind: 'Calc', input: topN, filter, projection, fields: n.fields, changelog: true };
  }
  // Flink's words for what it refuses.
  if (n.offset) throw new PlanningError('FETCH is missed, which on streaming table is not supported currently.');
  const first = n.input.fields[n.keys[0].index];
  if (!first?.timeAttr || n.keys[0].descending) throw new PlanningError('Sort on a non-time-attribute field is not supported.');
  if (isUpdating(input)) throw new PlanningError('A streaming ORDER BY on a time attribute needs an input that only appends (Flink: Sort does not consume update changes).');
  return { kind: 'TemporalSort', input, keys: n.keys, eventTime: first.timeAttr === 'rowtime', fields: n.fields };
}

/**
 * A semi/anti join is Flink's window semi/anti join when both inputs append window TVF (or window
 * aggregation) rows of the same event-time window and the keys pair window_start with
 * window_start and window_end with window_end; else undefined (a regular semi/anti join).
 */
function windowSemiJoin(left: PhysicalNode, right: PhysicalNode, leftKeys: number[], rightKeys: number[]): Extract<PhysicalNode, { kind: 'SemiJoin' }>['window'] {
  if (isUpdating(left) || isUpdating(right)) return undefined;
  const l = windowColumns(left);
  const r = windowColumns(right);
  if (!l || !r || !l.eventTime || !r.eventTime || l.spec.kind === 'SESSION' || r.spec.kind === 'SESSION') return undefined;
  const paired = (a: number, b: number) => leftKeys.some((k, i) => k === a && rightKeys[i] === b);
  if (!paired(l.start, r.start) || !paired(l.end, r.end)) return undefined;
  const same = l.spec.kind === r.spec.kind && l.spec.size === r.spec.size && l.spec.slide === r.spec.slide && l.spec.offset === r.spec.offset;
  if (!same) return undefined;
  return { left: l.spec, right: r.spec, leftStart: l.start, leftEnd: l.end, rightStart: r.start, rightEnd: r.end };
}

/** Where window_start and window_end of a window TVF or window aggregation are in `n`'s output, through projections. */
function windowColumns(n: PhysicalNode): { start: number; end: number; eventTime: boolean; spec: WindowSpec } | undefined {
  switch (n.kind) {
    case 'WindowTableFunction': {
      const w = n.input.fields.length;
      return { start: w, end: w + 1, eventTime: n.window.eventTime, spec: n.window };
    }
    case 'WindowAggregate':
      return { start: n.groupKeys.length, end: n.groupKeys.length + 1, eventTime: n.window.eventTime, spec: n.window };
    case 'Calc': {
      const below = windowColumns(n.input);
      if (!below || !n.projection) return below;
      const at = (i: number) => n.projection!.findIndex((e) => e.kind === 'input' && e.index === i);
      const start = at(below.start);
      const end = at(below.end);
      return start >= 0 && end >= 0 ? { start, end, eventTime: below.eventTime, spec: below.spec } : undefined;
    }
    case 'SemiJoin':
      // A window semi/anti join keeps its left input's columns and appends rows per window.
      return n.window ? windowColumns(n.left) : undefined;
    default:
      return undefined;
  }
}

/**
 * When the lookup side is a table (maybe under a projection/filter) whose connector looks rows up
 * by key, the physical columns its join keys read; else undefined (the table is read whole).
 */
function keyedLookup(right: PhysicalNode, rightKeys: number[]): { keyColumns: number[] } | undefined {
  const calc = right.kind === 'Calc' ? right : undefined;
  const src = calc ? calc.input : right;
  if (src.kind !== 'Source' || !src.factory.createLookupSource || src.computed || src.watermark || src.scan.metadataKeys?.length) return undefined;
  const keyColumns: number[] = [];
  for (const k of rightKeys) {
    let j = k;
    if (calc?.projection) {
      const e = calc.projection[k];
      if (!e || e.kind !== 'input') return undefined;
      j = e.index;
    }
    keyColumns.push(src.scan.projection?.[j] ?? j);
  }
  return { keyColumns };
}

/** The table read by a lookup side (a Source, maybe under a Calc: see markLookup). */
function lookupSource(n: PhysicalNode): Extract<PhysicalNode, { kind: 'Source' }> {
  return n.kind === 'Calc' ? lookupSource(n.input) : (n as Extract<PhysicalNode, { kind: 'Source' }>);
}

function markLookup(n: PhysicalNode): PhysicalNode {
  if (n.kind === 'Source') return { ...n, lookup: true };
  if (n.kind === 'Calc') return { ...n, input: markLookup(n.input) };
  throw new PlanningError('The lookup side of FOR SYSTEM_TIME AS OF must be a table');
}

/** Whether a node's output carries updates (-U/+U rows) rather than only inserts. */
export function isUpdating(n: PhysicalNode): boolean {
  switch (n.kind) {
    case 'GroupAggregate':
      return n.updating === true;
    case 'Calc':
      return n.changelog === true;
    case 'Union':
      return n.inputs.some(isUpdating);
    case 'Expand':
    case 'Replicate':
    case 'Unnest':
      return isUpdating(n.input);
    case 'SemiJoin':
      // An anti join takes a row back when its first match comes; a semi join when its last match goes.
      return n.streaming && !n.window && (n.anti || n.mark === true || isUpdating(n.left) || isUpdating(n.right));
    case 'Sink':
    case 'Collect':
    case 'Sort':
    case 'WindowTableFunction':
    case 'WindowAggregate':
      return isUpdating(n.input);
    case 'Source':
      return n.factory.sourceChangelogMode?.(n.table) === 'all';
    case 'Values':
    case 'HashJoin':
    case 'IntervalJoin':
      return false;
    case 'Rank':
      return n.updating === true;
    case 'TopN':
      return true;
    case 'WindowRank':
    case 'TemporalSort':
    case 'MatchRecognize':
      return false;
    case 'StreamingJoin':
      return n.joinType !== 'INNER' || isUpdating(n.left) || isUpdating(n.right);
    case 'TemporalJoin':
    case 'OverAggregate':
    case 'OverWindow':
      return false;
    case 'LookupJoin':
      return isUpdating(n.left);
  }
}

function scan(n: Extract<LogicalNode, { kind: 'Scan' }>, filter: RexNode | undefined, opts: OptimizeOptions): PhysicalNode {
  const t = n.table;
  if (opts.batch && t.factory.isBounded?.(t.descriptor) === false) {
    // Flink's words (a batch job must end; this source would not).
    throw new ValidationError(`Querying an unbounded table '${t.name}' in batch mode is not allowed. The table source is unbounded.`);
  }
  if (opts.batch && t.factory.sourceChangelogMode?.(t.descriptor) === 'all') {
    // Flink's words: a batch job reads inserts only.
    throw new ValidationError(
      `Querying a table in batch mode is currently only possible for INSERT-only table sources. But the source for table '${t.name}' produces other changelog messages than just INSERT.`,
    );
  }
  const filters = filter ? pushdownPredicates(filter, t.computed, t.descriptor.physical.map((f) => f.name)) : [];
  return {
    kind: 'Source',
    id: ++sourceIds,
    name: t.name,
    table: t.descriptor,
    factory: t.factory,
    scan: { metadataKeys: t.metadataKeys, filters: filters.length ? filters : undefined, batch: opts.batch },
    computed: t.computed,
    watermark: t.watermark,
    fields: n.fields,
  };
}

/**
 * A regular streaming join keeps the rows of both inputs as state and takes a retraction back by
 * the row's value: as in Flink, whose planner prunes the columns nothing above reads before the
 * join, the inputs are projected to the columns the projection above, the keys and the condition
 * read. State is smaller, and a delete whose unread columns differ from the inserted row's (a
 * Debezium before-image) still takes the joined rows back. Undefined when every column is read.
 */
function pruneJoinInputs(j: Extract<PhysicalNode, { kind: 'StreamingJoin' }>, exprs: RexNode[]): { join: PhysicalNode; exprs: RexNode[] } | undefined {
  const lw = j.left.fields.length;
  const rw = j.right.fields.length;
  const used = new Set<number>();
  for (const e of exprs) inputRefs(e, used);
  if (j.condition) inputRefs(j.condition, used);
  for (const k of j.leftKeys) used.add(k);
  for (const k of j.rightKeys) used.add(lw + k);
  let leftCols = [...Array(lw).keys()].filter((i) => used.has(i));
  let rightCols = [...Array(rw).keys()].filter((i) => used.has(lw + i));
  if (!leftCols.length) leftCols = [...Array(lw).keys()];
  if (!rightCols.length) rightCols = [...Array(rw).keys()];
  if (leftCols.length === lw && rightCols.length === rw) return undefined;
  const side = (input: PhysicalNode, cols: number[]): PhysicalNode =>
    cols.length === input.fields.length
      ? input
      : { kind: 'Calc', input, projection: cols.map((i) => ({ kind: 'input', index: i, type: input.fields[i].type })), fields: cols.map((i) => input.fields[i]), changelog: isUpdating(input) || undefined };
  const at = new Map<number, number>();
  leftCols.forEach((c, k) => at.set(c, k));
  rightCols.forEach((c, k) => at.set(lw + c, leftCols.length + k));
  const ref = (i: number): RexNode => ({ kind: 'input', index: at.get(i)!, type: j.fields[i].type });
  const join: PhysicalNode = {
    ...j,
    left: side(j.left, leftCols),
    right: side(j.right, rightCols),
    leftKeys: j.leftKeys.map((k) => leftCols.indexOf(k)),
    rightKeys: j.rightKeys.map((k) => rightCols.indexOf(k)),
    condition: j.condition && remapInputs(j.condition, ref),
    fields: [...leftCols.map((i) => j.fields[i]), ...rightCols.map((i) => j.fields[lw + i])],
  };
  return { join, exprs: exprs.map((e) => remapInputs(e, ref)) };
}

/**
 * An aggregation reads its keys and arguments by position, so a projection below it that only
 * picks columns is folded into those positions: no row is copied (a filter stays).
 */
function foldRefProjection(input: PhysicalNode): { input: PhysicalNode; map: (i: number) => number } {
  if (input.kind !== 'Calc' || !input.projection || !input.projection.every((e) => e.kind === 'input')) return { input, map: (i) => i };
  const refs = input.projection.map((e) => (e as { index: number }).index);
  const below: PhysicalNode = input.filter ? { kind: 'Calc', input: input.input, filter: input.filter, fields: input.input.fields, changelog: input.changelog } : input.input;
  return { input: below, map: (i) => refs[i] };
}

function remapAgg(a: AggCall, map: (i: number) => number): AggCall {
  return { ...a, args: a.args.map(map), filter: a.filter === undefined ? undefined : map(a.filter) };
}

function isIdentity(exprs: RexNode[], width: number): boolean {
  return exprs.length === width && exprs.every((e, i) => e.kind === 'input' && e.index === i);
}

function countNodes(e: RexNode): number {
  return e.kind === 'call' ? 1 + e.args.reduce((n, a) => n + countNodes(a), 0) : e.kind === 'cast' ? 1 + countNodes(e.arg) : 1;
}

function conjuncts(e: RexNode): RexNode[] {
  return e.kind === 'call' && e.op === 'AND' ? e.args.flatMap(conjuncts) : [e];
}

const FLIP: Record<string, string> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `col op literal` conjuncts on physical columns, for sources that prune (files, partitions). */
function pushdownPredicates(filter: RexNode, computed: RexNode[] | undefined, physical: string[]): PushdownPredicate[] {
  const column = (e: RexNode): string | undefined => {
    if (e.kind !== 'input') return undefined;
    const src = computed ? computed[e.index] : e;
    if (!src || src.kind !== 'input' || src.index >= physical.length) return undefined;
    return physical[src.index];
  };
  const out: PushdownPredicate[] = [];
  for (const c of conjuncts(filter)) {
    if (c.kind !== 'call') continue;
    if ((c.op === 'IS NULL' || c.op === 'IS NOT NULL') && column(c.args[0])) {
      out.push({ op: c.op, column: column(c.args[0])! });
      continue;
    }
    if (c.op === 'IN') {
      const col = column(c.args[0]);
      if (col && c.args.slice(1).every((a) => a.kind === 'literal')) out.push({ op: 'IN', column: col, values: c.args.slice(1).map((a) => (a as { value: unknown }).value) });
      continue;
    }
    if (!(c.op in FLIP) || c.args.length !== 2) continue;
    const [a, b] = c.args.map(unwrapCast);
    if (column(a) && b.kind === 'literal' && b.value !== null) out.push({ op: c.op as '=', column: column(a)!, value: b.value });
    else if (column(b) && a.kind === 'literal' && a.value !== null) out.push({ op: FLIP[c.op] as '=', column: column(b)!, value: a.value });
  }
  return out;
}

/**
 * The literal under a cast that leaves its value as it is, so `ts >= TIMESTAMP '…'` (a TIMESTAMP(0)
 * literal widened to the column's TIMESTAMP(6)) still prunes; any other cast is kept (no pushdown).
 */
function unwrapCast(e: RexNode): RexNode {
  if (e.kind !== 'cast' || e.arg.kind !== 'literal') return e;
  const from = e.arg.type;
  const to = e.type;
  const widened = (from.kind === 'TIMESTAMP' && to.kind === 'TIMESTAMP') || (from.kind === 'TIMESTAMP_LTZ' && to.kind === 'TIMESTAMP_LTZ');
  return widened && 'precision' in from && 'precision' in to && from.precision <= to.precision ? e.arg : e;
}

/** `ref`, `ref + c` or `ref - c` (c a day-time interval literal) → [input index, offset micros]. */
function timeRef(e: RexNode): [number, number] | undefined {
  if (e.kind === 'input') return [e.index, 0];
  if (e.kind === 'call' && (e.op === '+' || e.op === '-') && e.args[0].kind === 'input' && e.args[1].kind === 'literal' && typeof e.args[1].value === 'number') {
    return [e.args[0].index, e.op === '+' ? e.args[1].value : -e.args[1].value];
  }
  return undefined;
}

/**
 * Finds the time bounds of an interval join in the non-equi conjuncts: comparisons between a
 * rowtime of the left input and one of the right (BETWEEN, >=, >, <=, <), normalised to
 * lower <= left.time - right.time <= upper. Returns undefined unless both bounds are found.
 */
function intervalBounds(
  cond: RexNode | undefined,
  left: LogicalNode['fields'],
  right: LogicalNode['fields'],
): { leftTime: number; rightTime: number; lower: number; upper: number; rest?: RexNode } | undefined {
  const lw = left.length;
  const isRowtime = (i: number) => (i < lw ? left[i]?.timeAttr === 'rowtime' : right[i - lw]?.timeAttr === 'rowtime');
  let leftTime: number | undefined;
  let rightTime: number | undefined;
  let lower = -Infinity;
  let upper = Infinity;
  const rest: RexNode[] = [];
  // Records `a op b` where a and b are time refs: a.t + ca op b.t + cb.
  const bound = (op: string, a: RexNode, b: RexNode): boolean => {
    const x = timeRef(a);
    const y = timeRef(b);
    if (!x || !y || !isRowtime(x[0]) || !isRowtime(y[0]) || (x[0] < lw) === (y[0] < lw)) return false;
    // Orient as left - right op c.
    let [l, r, flip] = x[0] < lw ? [x, y, false] : [y, x, true];
    let o = flip ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] : op;
    if (!o) return false;
    if (leftTime !== undefined && (leftTime !== l[0] || rightTime !== r[0] - lw)) return false;
    leftTime = l[0];
    rightTime = r[0] - lw;
    const c = r[1] - l[1]; // l.t + cl  op  r.t + cr   ⇔   l.t - r.t  op  cr - cl
    const strict = o === '<' || o === '>' ? 1 : 0;
    if (o === '<=' || o === '<') upper = Math.min(upper, c - strict);
    else if (o === '>=' || o === '>') lower = Math.max(lower, c + strict);
    return true;
  };
  for (const c of cond ? conjuncts(cond) : []) {
    if (c.kind === 'call' && ['<', '<=', '>', '>='].includes(c.op) && bound(c.op, c.args[0], c.args[1])) continue;
    if (c.kind === 'call' && c.op === 'BETWEEN' && bound('>=', c.args[0], c.args[1]) && bound('<=', c.args[0], c.args[2])) continue;
    rest.push(c);
  }
  if (leftTime === undefined || rightTime === undefined || !Number.isFinite(lower) || !Number.isFinite(upper)) return undefined;
  const restCond: RexNode | undefined = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { kind: 'call', op: 'AND', args: rest, type: { kind: 'BOOLEAN', nullable: true } };
  return { leftTime, rightTime, lower, upper, rest: restCond };
}

/** Splits a join condition into `left.k = right.k` pairs and the rest. */
/**
 * An equality of a join's condition between an expression of one side and an expression of the
 * other (`MOD(b.auction, 10000) = s.key`, `CAST(a.id AS BIGINT) = b.id`) is a join key, as in
 * Flink: the expressions become computed columns of the sides (a projection below the join), the
 * equality one of their columns, and a projection above drops them again. Null when the condition
 * has no such equality (its keys are plain columns already). A lookup join's or a temporal join's
 * versioned side stays a table: only the left (probe) side's expressions are computed.
 */
function pushJoinKeyExpressions(n: Extract<LogicalNode, { kind: 'Join' }>): LogicalNode | null {
  if (!n.condition) return null;
  const leftWidth = n.left.fields.length;
  const rightWidth = n.right.fields.length;
  const tableRight = n.lookup === true || n.asOf !== undefined;
  const side = (e: RexNode): 'left' | 'right' | undefined => {
    const refs = [...inputRefs(e)];
    if (refs.length === 0) return undefined;
    if (refs.every((i) => i < leftWidth)) return 'left';
    if (refs.every((i) => i >= leftWidth)) return 'right';
    return undefined;
  };
  const leftExtra: RexNode[] = [];
  const rightExtra: RexNode[] = [];
  const rewritten: { c: RexNode; pair?: [RexNode, RexNode] }[] = [];
  for (const c of conjuncts(n.condition)) {
    if (c.kind === 'call' && c.op === '=' && c.args.length === 2) {
      const [a, b] = c.args;
      const [sa, sb] = [side(a), side(b)];
      if (sa !== undefined && sb !== undefined && sa !== sb && (a.kind !== 'input' || b.kind !== 'input')) {
        const [l, r] = sa === 'left' ? [a, b] : [b, a];
        if (!(tableRight && r.kind !== 'input')) {
          if (l.kind !== 'input') leftExtra.push(l);
          if (r.kind !== 'input') rightExtra.push(r);
          rewritten.push({ c, pair: [l, r] });
          continue;
        }
      }
    }
    rewritten.push({ c });
  }
  if (leftExtra.length === 0 && rightExtra.length === 0) return null;
  // The sides with their key expressions appended; the join's columns: left, left keys, right, right keys.
  const nl = leftExtra.length;
  const outer = (t: 'left' | 'right') => n.joinType === 'FULL' || (t === 'left' ? n.joinType === 'RIGHT' : n.joinType === 'LEFT');
  const keyField = (e: RexNode, k: number, nullable: boolean): PlanField => ({ name: `$join_key${k}`, type: nullable ? withNullable(e.type, true) : e.type });
  const ref = (index: number, from: readonly { type: RexNode['type'] }[]): RexNode => ({ kind: 'input', index, type: from[index].type });
  const left: LogicalNode = {
    kind: 'Project',
    input: n.left,
    exprs: [...n.left.fields.map((_, i) => ref(i, n.left.fields)), ...leftExtra],
    fields: [...n.left.fields, ...leftExtra.map((e, k) => keyField(e, k, false))],
  };
  const rightShifted = rightExtra.map((e) => remapInputs(e, (i) => ref(i - leftWidth, n.right.fields)));
  const right: LogicalNode = {
    kind: 'Project',
    input: n.right,
    exprs: [...n.right.fields.map((_, i) => ref(i, n.right.fields)), ...rightShifted],
    fields: [...n.right.fields, ...rightShifted.map((e, k) => keyField(e, nl + k, false))],
  };
  const fields = [
    ...n.fields.slice(0, leftWidth),
    ...leftExtra.map((e, k) => keyField(e, k, outer('left'))),
    ...n.fields.slice(leftWidth),
    ...rightExtra.map((e, k) => keyField(e, nl + k, outer('right'))),
  ];
  // Column i of the old join in the new one; a pushed expression is its new column.
  const moved = (i: number) => (i < leftWidth ? i : i + nl);
  const remap = (e: RexNode) => remapInputs(e, (i) => ({ kind: 'input', index: moved(i), type: fields[moved(i)].type }) as RexNode);
  let li = 0;
  let ri = 0;
  const conds = rewritten.map(({ c, pair }) => {
    if (!pair) return remap(c);
    const [l, r] = pair;
    const lr = l.kind === 'input' ? remap(l) : ({ kind: 'input', index: leftWidth + li++, type: l.type } as RexNode);
    const rr = r.kind === 'input' ? remap(r) : ({ kind: 'input', index: leftWidth + nl + rightWidth + ri++, type: r.type } as RexNode);
    return { ...c, args: [lr, rr] } as RexNode;
  });
  const condition: RexNode = conds.length === 1 ? conds[0] : { kind: 'call', op: 'AND', args: conds, type: n.condition.type };
  const asOf = n.asOf === undefined ? undefined : moved(n.asOf);
  const join: LogicalNode = { ...n, left, right, condition, fields, ...(asOf === undefined ? {} : { asOf }) };
  return { kind: 'Project', input: join, exprs: n.fields.map((f, i) => ({ kind: 'input', index: moved(i), type: fields[moved(i)].type }) as RexNode), fields: n.fields };
}

function equiKeys(cond: RexNode | undefined, leftWidth: number): { leftKeys: number[]; rightKeys: number[]; rest?: RexNode } {
  const leftKeys: number[] = [];
  const rightKeys: number[] = [];
  const rest: RexNode[] = [];
  for (const c of cond ? conjuncts(cond) : []) {
    if (c.kind === 'call' && c.op === '=' && c.args[0].kind === 'input' && c.args[1].kind === 'input') {
      const [a, b] = [c.args[0].index, c.args[1].index];
      if (a < leftWidth && b >= leftWidth) {
        leftKeys.push(a);
        rightKeys.push(b - leftWidth);
        continue;
      }
      if (b < leftWidth && a >= leftWidth) {
        leftKeys.push(b);
        rightKeys.push(a - leftWidth);
        continue;
      }
    }
    rest.push(c);
  }
  const restCond: RexNode | undefined = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { kind: 'call', op: 'AND', args: rest, type: { kind: 'BOOLEAN', nullable: true } };
  return { leftKeys, rightKeys, rest: restCond };
}

export { inputRefs };
