// EXPLAIN: the logical and physical plans as indented trees, in the style of Flink's output.
import { formatType } from '../common/types.js';
import { maskSecrets } from '../common/options.js';
import type { LogicalNode, PlanField } from './logical.js';
import { logicalChildren } from './logical.js';
import type { AggCall, FrameEdge, MatchSpec, OverCall, PatternElement, PhysicalNode, SortKey, WindowSpec } from './physical.js';
import { children } from './physical.js';
import { formatLiteral, formatRex, type RexNode } from './rex.js';
import { isUpdating } from './optimizer.js';
import { sharedNodes } from './reuse.js';

function tree<T>(root: T, label: (n: T) => string, kids: (n: T) => T[]): string {
  const lines: string[] = [];
  const walk = (n: T, prefix: string, isRoot: boolean) => {
    lines.push(isRoot ? label(n) : `${prefix}+- ${label(n)}`);
    const cs = kids(n);
    cs.forEach((c, i) => walk(c, isRoot ? '' : prefix + (i === cs.length - 1 && true ? '   ' : ':  '), false));
  };
  walk(root, '', true);
  return lines.join('\n');
}

function names(fields: readonly { name: string }[]): string[] {
  return fields.map((f) => f.name);
}

function duration(micros: number): string {
  const ms = micros / 1000;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

export function formatWindow(w: WindowSpec, inputNames: string[]): string {
  // An attached window is read from the rows' bounds, as Flink prints it: TUMBLE(win_start=[…], win_end=[…], size=[…]).
  const time = w.attached ? `win_start=[${inputNames[w.attached.start]}], win_end=[${inputNames[w.attached.end]}]` : `time_col=[${inputNames[w.timeIndex] ?? `$${w.timeIndex}`}]`;
  const off = w.offset ? `, offset=[${duration(w.offset)}]` : '';
  switch (w.kind) {
    case 'TUMBLE':
      return `TUMBLE(${time}, size=[${duration(w.size)}]${off})`;
    case 'HOP':
      return `HOP(${time}, size=[${duration(w.size)}], slide=[${duration(w.slide!)}]${off})`;
    case 'CUMULATE':
      return `CUMULATE(${time}, max_size=[${duration(w.size)}], step=[${duration(w.slide!)}]${off})`;
    case 'SESSION':
      return `SESSION(time_col=[${time}], gap=[${duration(w.size)}]${w.partitionKeys.length ? `, partition_keys=[${w.partitionKeys.map((k) => inputNames[k]).join(', ')}]` : ''})`;
  }
}

function overFrame(rows: boolean, preceding?: number): string {
  const start = preceding === undefined ? 'UNBOUNDED PRECEDING' : preceding === 0 ? 'CURRENT ROW' : rows ? `${preceding} PRECEDING` : `${duration(preceding)} PRECEDING`;
  return `${rows ? 'ROWS' : 'RANG'} BETWEEN ${start} AND CURRENT ROW`;
}

function frameEdge(e: FrameEdge, upper: boolean): string {
  if (e.kind === 'unbounded') return upper ? 'UNBOUNDED FOLLOWING' : 'UNBOUNDED PRECEDING';
  if (e.kind === 'current') return 'CURRENT ROW';
  return `${e.amount} ${e.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'}`;
}

/** A batch OVER window as Flink prints it: its keys, then each call with its frame. */
function overWindowText(partitionKeys: number[], orderKeys: SortKey[], calls: OverCall[], inputNames: string[]): string {
  const frames = calls.map((c) => {
    const f = c.frame;
    const offset = c.offset !== undefined && c.fn !== 'NTILE' ? `, offset=${c.offset}` : c.fn === 'NTILE' ? `, buckets=${c.offset}` : '';
    return `${aggText(c, inputNames)}${offset} ${f.rows ? 'ROWS' : 'RANG'} BETWEEN ${frameEdge(f.lower, false)} AND ${frameEdge(f.upper, true)}`;
  });
  return `partitionBy=[${partitionKeys.map((k) => inputNames[k]).join(', ')}], orderBy=[${orderKeys.map((k) => `${inputNames[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}], window=[${frames.join(', ')}]`;
}

function aggText(a: AggCall, inputNames: string[]): string {
  const args = a.args.length ? a.args.map((i) => inputNames[i]).join(', ') : '*';
  const filter = a.filter !== undefined ? ` FILTER ${inputNames[a.filter]}` : '';
  return `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${args})${filter} AS ${a.name}`;
}

function exprs(es: RexNode[], inputNames: string[], out: { name: string }[]): string {
  return es.map((e, i) => {
    const t = formatRex(e, inputNames);
    return t === out[i].name ? t : `${t} AS ${out[i].name}`;
  }).join(', ');
}

/** A semi/anti join's condition, with NOT IN's NULL-aware key as Flink writes it. */
function semiCondition(cond: RexNode | undefined, nullAware: [number, number] | undefined, inputNames: string[], leftWidth: number): string {
  const parts: string[] = [];
  if (nullAware) {
    const [l, r] = [inputNames[nullAware[0]], inputNames[leftWidth + nullAware[1]]];
    parts.push(`OR(=(${l}, ${r}), IS NULL(${l}), IS NULL(${r}))`);
  }
  if (cond) parts.push(formatRex(cond, inputNames));
  return parts.length ? parts.join(' AND ') : 'true';
}

/** Expand's projections as Flink prints them: `{a, null AS b, 1 AS $e}, …`. */
function expandText(ps: RexNode[][], inputNames: string[], out: { name: string }[]): string {
  return ps.map((p) => `{${exprs(p, inputNames, out)}}`).join(', ');
}

function optionsText(o: Record<string, string>): string {
  return Object.entries(maskSecrets(o)).map(([k, v]) => `${k}=${v}`).join(', ');
}

export function explainLogical(root: LogicalNode): string {
  return tree<LogicalNode>(root, (n) => {
    const input = (i = 0) => names(logicalChildren(n)[i]?.fields ?? []);
    switch (n.kind) {
      case 'Scan': {
        const wm = n.table.watermark ? `, watermark=[${formatRex(n.table.watermark.expr, names(n.table.fields))}]` : '';
        return `LogicalTableScan(table=[[${n.table.name}]], connector=[${n.table.factory.identifier}], fields=[${names(n.fields).join(', ')}]${wm})`;
      }
      case 'Project':
        return `LogicalProject(${exprs(n.exprs, input(), n.fields)})`;
      case 'Filter':
        return `LogicalFilter(condition=[${formatRex(n.condition, input())}])`;
      case 'WindowTVF':
        return `LogicalTableFunctionScan(invocation=[${formatWindow(n.window, input())}], fields=[${names(n.fields).join(', ')}])`;
      case 'WindowAggregate':
        return `LogicalWindowAggregate(window=[${formatWindow(n.window, input())}], groupBy=[${n.groupKeys.map((k) => input()[k]).join(', ')}], select=[${n.aggs.map((a) => aggText(a, input())).join(', ')}])`;
      case 'Aggregate':
        return `LogicalAggregate(group=[${n.groupKeys.map((k) => input()[k]).join(', ')}], select=[${n.aggs.map((a) => aggText(a, input())).join(', ')}])`;
      case 'Join':
        return `LogicalJoin(joinType=[${n.joinType.toLowerCase()}], condition=[${n.condition ? formatRex(n.condition, [...input(0), ...input(1)]) : 'true'}])`;
      case 'Union':
        return 'LogicalUnion(all=[true])';
      case 'SemiJoin':
        return `LogicalJoin(joinType=[${n.mark ? 'mark' : n.anti ? 'anti' : 'semi'}], condition=[${semiCondition(n.condition, n.nullAware, [...input(0), ...input(1)], input(0).length)}])`;
      case 'Unnest':
        return `LogicalCorrelate(invocation=[UNNEST(${formatRex(n.expr, input())})${n.ordinality ? ' WITH ORDINALITY' : ''}], joinType=[${n.outer ? 'left' : 'inner'}])`;
      case 'Replicate':
        return `LogicalReplicateRows(count=[${input()[input().length - 1]}])`;
      case 'Expand':
        return `LogicalExpand(projects=[${expandText(n.projections, input(), n.fields)}])`;
      case 'Sort':
        return `LogicalSort(${sortText(n.keys, input(), n.limit, n.offset)})`;
      case 'OverAggregate':
        return `LogicalOverAggregate(partitionBy=[${n.partitionKeys.map((k) => input()[k]).join(', ')}], orderBy=[${input()[n.orderKey]} ASC], ${overFrame(n.rows, n.preceding)}, select=[${n.aggs.map((a) => aggText(a, input())).join(', ')}])`;
      case 'OverWindow':
        return `LogicalOverAggregate(${overWindowText(n.partitionKeys, n.orderKeys, n.calls, input())})`;
      case 'MatchRecognize':
        return `LogicalMatch(${matchText(n.spec, input())})`;
      case 'Rank':
        return `LogicalRank(partitionBy=[${n.partitionKeys.map((k) => input()[k]).join(', ')}], orderBy=[${n.orderKeys.map((k) => `${input()[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}], select=[*, ${n.fn ?? 'ROW_NUMBER'}() AS $rownum])`;
      case 'Values':
        return `LogicalValues(tuples=[${n.rows.map((r) => `{ ${r.map((e) => formatRex(e)).join(', ')} }`).join(', ')}])`;
      case 'Sink':
        return `LogicalSink(table=[${n.table.name}], connector=[${n.table.factory.identifier}], fields=[${names(n.fields).join(', ')}])`;
    }
  }, logicalChildren);
}

function matchText(spec: MatchSpec, input: string[]): string {
  const skip = spec.skip.variable ? `SKIP ${spec.skip.kind} ${spec.skip.variable}` : `SKIP ${spec.skip.kind}`;
  const define = Object.entries(spec.define).map(([v, d]) => `${v} AS ${d.text}`);
  return [
    `partitionBy=[${spec.partitionKeys.map((k) => input[k]).join(', ')}]`,
    `orderBy=[${spec.orderKeys.map((k) => `${input[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}]`,
    `measures=[${spec.measures.exprs.map((e, i) => `${formatRex(e, spec.measures.slots.map((s) => s.text))} AS ${spec.measures.names[i]}`).join(', ')}]`,
    'rowsPerMatch=[ONE ROW PER MATCH]',
    `after=[${skip}]`,
    `pattern=[${spec.pattern.map((p) => p.variable + quantifierText(p)).join(' ')}]`,
    ...(spec.withinMicros !== undefined ? [`within=[${spec.withinMicros / 1000}ms]`] : []),
    `define=[${define.join(', ')}]`,
  ].join(', ');
}

function quantifierText(p: PatternElement): string {
  const q = p.min === 1 && p.max === 1 ? '' : p.min === 0 && p.max === undefined ? '*' : p.min === 1 && p.max === undefined ? '+' : p.min === 0 && p.max === 1 ? '?' : p.max === p.min ? `{${p.min}}` : `{${p.min},${p.max ?? ''}}`;
  return q && q !== '?' && !p.greedy ? `${q}?` : q;
}

function sortText(keys: { index: number; descending: boolean }[], input: string[], limit?: number, offset?: number): string {
  const parts: string[] = [];
  if (keys.length) parts.push(`orderBy=[${keys.map((k) => `${input[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}]`);
  // Flink prints the offset (0 too) beside a fetch.
  if (offset || limit !== undefined) parts.push(`offset=[${offset ?? 0}]`);
  if (limit !== undefined) parts.push(`fetch=[${limit}]`);
  return parts.join(', ');
}

const JOIN_TYPE = { INNER: 'InnerJoin', LEFT: 'LeftOuterJoin', RIGHT: 'RightOuterJoin', FULL: 'FullOuterJoin' } as const;

function keyList(keys: number[], input: string[]): string {
  return keys.map((k) => input[k]).join(', ');
}

function orderList(keys: SortKey[], input: string[]): string {
  return keys.map((k) => `${input[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

/**
 * A group aggregation as Flink names it: streaming `GroupAggregate` (aggregates over an updating
 * input are the retracting ones, `COUNT_RETRACT`…), batch `HashAggregate`; select lists the keys
 * then the aggregates.
 */
function groupAggregateText(n: Extract<PhysicalNode, { kind: 'GroupAggregate' }>, input: string[]): string {
  const streaming = n.updating !== undefined;
  const aggs = n.aggs.map((a) => aggText(n.retracting ? { ...a, fn: `${a.fn}_RETRACT` } : a, input));
  const head = `groupBy=[${keyList(n.groupKeys, input)}], select=[${[...n.groupKeys.map((k) => input[k]), ...aggs].join(', ')}]`;
  if (!streaming) return `HashAggregate(isMerge=[false], ${head})`;
  const state = n.aggs.length ? 'accumulators and the row count per group key' : 'the row count per key';
  return `GroupAggregate(${head}, state=[${state}, table.exec.state.ttl])`;
}

/** The table a lookup join reads (a Source, maybe under a Calc). */
function lookupTable(n: PhysicalNode): string {
  return n.kind === 'Source' ? n.name : n.kind === 'Calc' ? lookupTable(n.input) : '?';
}

/**
 * The physical plans of one job, as Flink prints a plan with reused nodes: a scan or sub-plan read
 * by several readers (reuse.ts) is printed once with `(reuse_id=[k])`, and `Reused(reference_id=[k])` where
 * the others read it.
 */
export function explainPhysicalPlans(roots: PhysicalNode[]): string {
  const ids = new Map<PhysicalNode, number>();
  sharedNodes(roots).forEach((s, i) => ids.set(s, i + 1));
  const printed = new Set<PhysicalNode>();
  return roots.map((r) => explainPhysical(r, { ids, printed })).join('\n\n');
}

export function explainPhysical(root: PhysicalNode, reuse?: { ids: Map<PhysicalNode, number>; printed: Set<PhysicalNode> }): string {
  // tree() asks for a node's children right after its label: none under a reference.
  let reference = false;
  return tree<PhysicalNode>(root, (n) => {
    const id = reuse?.ids.get(n);
    reference = id !== undefined && reuse!.printed.has(n);
    if (id === undefined) return physicalLabel(n);
    if (reference) return `Reused(reference_id=[${id}])`;
    reuse!.printed.add(n);
    return `${physicalLabel(n)}(reuse_id=[${id}])`;
  }, (n) => (reference ? [] : children(n)));
}

function physicalLabel(n: PhysicalNode): string {
  const input = (i = 0) => names(children(n)[i]?.fields ?? []);
  switch (n.kind) {
    case 'Source': {
      const parts = [`table=[[${n.name}]]`, `connector=[${n.factory.identifier}]`, `fields=[${names(n.fields).join(', ')}]`];
      if (n.scan.filters?.length) {
        // Values as SQL literals of the column's type (a TIMESTAMP prints as TIMESTAMP '…', not micros).
        const lit = (column: string, v: unknown) => {
          const f = n.fields.find((x) => x.name === column);
          return f ? formatLiteral(v, f.type) : String(v);
        };
        parts.push(`filter=[${n.scan.filters.map((f) => ('value' in f ? `${f.column} ${f.op} ${lit(f.column, f.value)}` : 'values' in f ? `${f.column} IN (${f.values.map((v) => lit(f.column, v)).join(', ')})` : `${f.column} ${f.op}`)).join(' AND ')}]`);
      }
      if (n.watermark) parts.push(`watermark=[${formatRex(n.watermark.expr, names(n.fields))}]`, `rowtime=[${n.fields[n.watermark.rowtimeIndex].name}]`);
      const opts = optionsText(n.table.options);
      if (opts) parts.push(`options=[${opts}]`);
      return `TableSourceScan(${parts.join(', ')})`;
    }
    case 'Calc': {
      const parts: string[] = [];
      if (n.projection) parts.push(`select=[${exprs(n.projection, input(), n.fields)}]`);
      else parts.push(`select=[${input().join(', ')}]`);
      if (n.filter) parts.push(`where=[${formatRex(n.filter, input())}]`);
      return `Calc(${parts.join(', ')})`;
    }
    case 'WindowTableFunction':
      return `WindowTableFunction(window=[${formatWindow(n.window, input())}]${n.changelog ? ', changelog=[row kinds kept, no row late]' : ''})`;
    case 'WindowAggregate':
      return `WindowAggregate(groupBy=[${n.groupKeys.map((k) => input()[k]).join(', ')}], window=[${formatWindow(n.window, input())}], select=[${[...n.groupKeys.map((k) => input()[k]), ...n.aggs.map((a) => aggText(a, input())), 'start AS window_start', 'end AS window_end', 'rowtime AS window_time'].join(', ')}], state=[accumulators per window and group key, freed when the window fires])`;
    case 'GroupAggregate':
      return groupAggregateText(n, input());
    case 'Sort':
      return `${n.keys.length ? 'Sort' : 'Limit'}(${sortText(n.keys, input(), n.limit, n.offset)})`;
    case 'Union':
      return `Union(all=[true], union=[${names(n.fields).join(', ')}])`;
    case 'SemiJoin': {
      const keys = `leftKeys=[${n.leftKeys.map((k) => input(0)[k]).join(', ')}], rightKeys=[${n.rightKeys.map((k) => input(1)[k]).join(', ')}]`;
      const nullAware = n.nullAware ? `, nullAwareKey=[${input(0)[n.nullAware[0]]} = ${input(1)[n.nullAware[1]]}]` : '';
      const where = n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : '';
      const joinType = n.mark ? 'LeftMarkJoin' : n.anti ? 'LeftAntiJoin' : 'LeftSemiJoin';
      if (n.window) {
        const w = n.window;
        const win = (spec: WindowSpec, names: string[], start: number, end: number) => `${formatWindow(spec, names)}, win_start=[${names[start]}], win_end=[${names[end]}]`;
        return `WindowJoin(leftWindow=[${win(w.left, input(0), w.leftStart, w.leftEnd)}], rightWindow=[${win(w.right, input(1), w.rightStart, w.rightEnd)}], joinType=[${joinType}], ${keys}${nullAware}${where}, state=[rows of both inputs per window, freed when the watermark passes window_end])`;
      }
      return `${n.streaming ? 'Join' : 'HashJoin'}(joinType=[${joinType}], ${keys}${nullAware}${where}${n.streaming ? `, state=[rows of both inputs by join key, table.exec.state.ttl]` : ''})`;
    }
    case 'Unnest':
      return `Correlate(invocation=[UNNEST(${formatRex(n.expr, input())})${n.ordinality ? ' WITH ORDINALITY' : ''}], select=[${names(n.fields).join(', ')}], joinType=[${n.outer ? 'LEFT' : 'INNER'}])`;
    case 'Replicate':
      return `ReplicateRows(count=[${input()[input().length - 1]}], select=[${names(n.fields).join(', ')}])`;
    case 'Expand':
      return `Expand(projects=[${expandText(n.projections, input(), n.fields)}])`;
    case 'HashJoin':
      return `HashJoin(joinType=[${JOIN_TYPE[n.joinType]}], leftKeys=[${n.leftKeys.map((k) => input(0)[k]).join(', ')}], rightKeys=[${n.rightKeys.map((k) => input(1)[k]).join(', ')}]${n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : ''})`;
    case 'OverAggregate':
      return `OverAggregate(partitionBy=[${keyList(n.partitionKeys, input())}], orderBy=[${input()[n.orderKey]} ASC], window=[${overFrame(n.rows, n.preceding)}], select=[${n.aggs.map((a) => aggText(a, input())).join(', ')}], state=[${n.eventTime ? 'rows until the watermark passes their time, ' : ''}accumulators${n.preceding !== undefined ? " and the frame's rows" : ''} per partition key, table.exec.state.ttl])`;
    case 'OverWindow':
      return `OverAggregate(${overWindowText(n.partitionKeys, n.orderKeys, n.calls, input())}, state=[none: batch, every partition sorted when the input ends])`;
    case 'StreamingJoin':
      return `Join(joinType=[${JOIN_TYPE[n.joinType]}], leftKeys=[${n.leftKeys.map((k) => input(0)[k]).join(', ')}], rightKeys=[${n.rightKeys.map((k) => input(1)[k]).join(', ')}]${n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : ''}, state=[${n.leftKeys.length ? 'rows of both inputs by join key' : 'rows of both inputs under one key'}${isRetracting(n) ? ', retracted rows removed' : ''}, table.exec.state.ttl])`;
    case 'Rank': {
      const fn = n.fn ?? 'ROW_NUMBER';
      if (n.streaming) {
        // Flink's deduplication: the first row per key (ascending time) or the last (descending).
        return `Deduplicate(keep=[${n.updating ? 'LastRow' : 'FirstRow'}], key=[${keyList(n.partitionKeys, input())}], order=[${n.timeOrder ?? 'ROWTIME'}], state=[the ${n.updating ? 'last' : 'first'} row per key, table.exec.state.ttl])`;
      }
      // Batch: a Top-N is Flink's Rank; a numbering without a limit its OverAggregate.
      if (n.limit === undefined) return `OverAggregate(partitionBy=[${keyList(n.partitionKeys, input())}], orderBy=[${orderList(n.orderKeys, input())}], window#0=[${fn}(*) AS $rownum ${fn === 'ROW_NUMBER' ? 'ROWS' : 'RANG'} BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW])`;
      return `Rank(rankType=[${fn}], rankRange=[rankStart=1, rankEnd=${n.limit}], partitionBy=[${keyList(n.partitionKeys, input())}], orderBy=[${orderList(n.orderKeys, input())}], global=[true])`;
    }
    case 'TemporalJoin':
      return `TemporalJoin(joinType=[${n.joinType === 'LEFT' ? 'LeftOuterJoin' : 'InnerJoin'}], leftKeys=[${n.leftKeys.map((k) => input(0)[k]).join(', ')}], rightKeys=[${n.rightKeys.map((k) => input(1)[k]).join(', ')}], leftTimeAttribute=[${input(0)[n.leftTime]}], rightTimeAttribute=[${input(1)[n.rightTime]}]${n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : ''}, state=[left rows until the watermark passes them, versions per key from the one valid at the watermark on, table.exec.state.ttl])`;
    case 'MatchRecognize':
      return `Match(${matchText(n.spec, input())}, state=[${n.spec.eventTime ? 'rows until the watermark passes their time, ' : ''}partial matches per partition key${n.spec.withinMicros !== undefined ? ', dropped after WITHIN' : ''}])`;
    case 'TemporalSort':
      return `TemporalSort(orderBy=[${n.keys.map((k) => `${input()[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}], state=[${n.eventTime ? 'rows until the watermark passes their time' : 'none'}])`;
    case 'TopN':
      if (n.sortLimit) {
        return `SortLimit(orderBy=[${orderList(n.orderKeys, input())}], offset=[${n.sortLimit.offset}], fetch=[${n.limit - n.sortLimit.offset}], strategy=[${n.retracting ? 'RetractStrategy' : 'AppendFastStrategy'}], state=[${n.retracting ? 'every row' : `the first ${n.limit} rows`}, table.exec.state.ttl])`;
      }
      return `Rank(strategy=[${n.retracting ? 'RetractStrategy' : 'AppendFastStrategy'}], rankType=[${n.fn}], rankRange=[rankStart=1, rankEnd=${n.limit}], partitionBy=[${n.partitionKeys.map((k) => input()[k]).join(', ')}], orderBy=[${n.orderKeys.map((k) => `${input()[k.index]} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}], outputRankNumber=[${n.outputRank}], state=[${n.retracting ? 'every row' : `top ${n.limit}`} per partition key, table.exec.state.ttl])`;
    case 'WindowRank': {
      // As Flink: the window read from the rows' bounds, partitionBy without them.
      const w = n.window && n.windowStart !== undefined ? `window=[${formatWindow({ ...n.window, attached: { start: n.windowStart, end: n.windowEnd } }, input())}], ` : `windowEnd=[${input()[n.windowEnd]}], `;
      const keys = n.partitionKeys.filter((k) => k !== n.windowStart && k !== n.windowEnd);
      return `WindowRank(${w}rankType=[${n.fn}], rankRange=[rankStart=1, rankEnd=${n.limit}], partitionBy=[${keyList(keys, input())}], orderBy=[${orderList(n.orderKeys, input())}], state=[the top ${n.limit} rows per window and key, freed when the watermark passes window_end])`;
    }
    case 'LookupJoin':
      return `LookupJoin(table=[${lookupTable(n.right)}], joinType=[${n.joinType === 'LEFT' ? 'LeftOuterJoin' : 'InnerJoin'}], lookup=[${n.rightKeys.map((k, i) => `${input(1)[k]}=${input(0)[n.leftKeys[i]]}`).join(', ')}]${n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : ''}${n.reload ? `, reload=[every ${n.reload.intervalMs} ms, ${n.reload.fixedRate ? 'FIXED_RATE' : 'FIXED_DELAY'}]` : ''}, state=[${n.keyed ? 'left rows waiting for their lookup, none at a checkpoint' : 'the table read whole in memory, read again on restore; left rows waiting for it'}])`;
    case 'IntervalJoin':
      return `IntervalJoin(joinType=[InnerJoin], leftKeys=[${n.leftKeys.map((k) => input(0)[k]).join(', ')}], rightKeys=[${n.rightKeys.map((k) => input(1)[k]).join(', ')}], windowBounds=[isRowTime=true, leftLowerBound=${n.lower / 1000}, leftUpperBound=${n.upper / 1000}, leftTimeIndex=${input(0)[n.leftTime]}, rightTimeIndex=${input(1)[n.rightTime]}]${n.condition ? `, where=[${formatRex(n.condition, [...input(0), ...input(1)])}]` : ''}, state=[rows of both inputs until the watermark passes their time bound])`;
    case 'Values':
      return `Values(tuples=[${n.rows.map((r) => `{ ${r.map((e) => formatRex(e)).join(', ')} }`).join(', ')}])`;
    case 'Sink':
      return `Sink(table=[${n.name}], connector=[${n.factory.identifier}], fields=[${names(n.fields).join(', ')}])`;
    case 'Collect':
      return `Collect(fields=[${names(n.fields).join(', ')}])`;
  }
}

function isRetracting(n: Extract<PhysicalNode, { kind: 'StreamingJoin' }>): boolean {
  return isUpdating(n.left) || isUpdating(n.right);
}

/** `name TYPE` list of a plan's output, with time attributes marked. */
export function schemaText(fields: PlanField[]): string {
  return fields.map((f) => `${f.name} ${formatType(f.type)}${f.timeAttr === 'rowtime' ? ' *ROWTIME*' : f.timeAttr === 'proctime' ? ' *PROCTIME*' : ''}`).join(', ');
}
