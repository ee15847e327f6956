// Which plans run split across worker threads (parallelism > 1), and why the others run at 1.
//
// Built so far:
// - the stateless shape: sources whose splits can be shared out (Kafka partitions, Nexmark
//   events by stride, filesystem record lines by stride), Calc/Union, and sinks that each worker can write on its own (blackhole)
//   or that the coordinator runs once (the Collect of a SELECT);
// - a window aggregation in two phases (Flink's `table.optimizer.agg-phase-strategy` TWO_PHASE):
//   each worker runs the stateless part below it and pre-aggregates its rows per window and key
//   (local phase); the coordinator merges the partial aggregates with the minimum watermark over
//   the workers (global phase) and runs the rest of the plan (any operators, any sink) once.
// - the keyed shape: every worker runs the whole plan on its share of the splits, and the rows
//   going into each keyed operator (group aggregation, joins, Top-N, window aggregation by key…)
//   pass through the key-group hash exchange (exchange.ts) to the worker owning their key, as
//   Flink's keyBy. Checkpoints are aligned across the workers (barriers through the exchange).
// In the two-phase and keyed shapes each source split is read whole, by one worker
// (RuntimeContext.subtask.wholeSplits: a file is not cut into byte ranges), so each key's rows and
// the late rows are those of parallelism 1. Except a two-phase TUMBLE over one file
// (twoPhaseChunkable): the workers read it in chunks (parallelism 1's read batches; each worker
// takes the next chunk when it needs one, so each reads its chunks in file order), each drops the rows its own watermark passed and sends each chunk's
// partials, and the coordinator merges the chunks in file order, dropping as late a chunk's
// partials of the windows the watermark after the chunks before it passed (runTwoPhase).
import { children, type AggCall, type PhysicalNode } from '../../planner/physical.js';
import { MAX_PARALLELISM } from './exchange.js';
import { getOption } from '../../common/options.js';
import { flinkLocalBuffer } from '../operators/window.js';

type WindowAggNode = Extract<PhysicalNode, { kind: 'WindowAggregate' }>;

const EXACT_NUMERIC = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL']);

/** Why merging partial accumulators of `a` could give another result than one accumulator over all rows (undefined: it cannot). */
function unmergeable(a: AggCall): string | undefined {
  switch (a.fn) {
    case 'COUNT':
    case 'MIN':
    case 'MAX':
    case 'BOOL_AND':
    case 'BOOL_OR':
      return undefined;
    case 'SUM':
    case '$SUM0':
    case 'AVG':
      // Floating-point sums depend on the order of the additions.
      return a.argTypes.every((t) => EXACT_NUMERIC.has(t.kind)) ? undefined : `${a.fn} over ${a.argTypes[0]?.kind ?? 'its argument'} depends on the order of the rows`;
    default:
      return `${a.fn} is not merged across workers yet`;
  }
}

/** Why the window aggregation `node` cannot run in two phases (local, then global after merging partials), or undefined when it can. */
export function windowAggUnmergeable(node: WindowAggNode): string | undefined {
  const w = node.window;
  if (w.kind === 'SESSION') return 'SESSION windows are not merged across workers yet';
  if (!w.eventTime) return 'a processing-time window fires on each worker’s clock';
  for (const a of node.aggs) {
    const why = unmergeable(a);
    if (why) return why;
  }
  return undefined;
}

/**
 * The window aggregation a plan can run in two phases, or why not: the only keyed operator under
 * which all sources lie, an event-time TUMBLE/HOP/CUMULATE window, aggregates whose partial
 * results merge exactly.
 */
export function twoPhaseWindowAggregate(roots: PhysicalNode[]): { node?: WindowAggNode; why?: string } {
  const found: WindowAggNode[] = [];
  const walk = (n: PhysicalNode): void => {
    if (n.kind === 'WindowAggregate') found.push(n);
    for (const c of children(n)) walk(c);
  };
  roots.forEach(walk);
  if (found.length !== 1) return { why: found.length ? 'more than one window aggregation' : 'no window aggregation' };
  const node = found[0];
  const why = windowAggUnmergeable(node);
  if (why) return { why };
  // Every source must feed the aggregation (the coordinator reads none).
  let outside = 0;
  const count = (n: PhysicalNode): void => {
    if (n === node) return;
    if (n.kind === 'Source') outside++;
    for (const c of children(n)) count(c);
  };
  roots.forEach(count);
  if (outside) return { why: 'a source that does not feed the window aggregation' };
  return { node };
}

/**
 * Whether a two-phase run may read its file in chunks merged in file order (RuntimeContext.subtask.chunks;
 * the source decides at open whether its input is one file it can cut): one filesystem source below
 * a TUMBLE window (a row is in one window, so a partial's rows are all late or none), and no
 * checkpoints (the chunks waiting in the coordinator are in none).
 */
export function twoPhaseChunkable(roots: PhysicalNode[], config: ReadonlyMap<string, string>): boolean {
  const node = twoPhaseWindowAggregate(roots).node;
  if (!node || node.window.kind !== 'TUMBLE') return false;
  if (config.get('execution.checkpointing.interval') || config.get('execution.savepoint.path')) return false;
  const sources: PhysicalNode[] = [];
  const walk = (n: PhysicalNode): void => {
    if (n.kind === 'Source') sources.push(n);
    for (const c of children(n)) walk(c);
  };
  walk(node.input);
  return sources.length === 1 && sources[0].kind === 'Source' && sources[0].factory.identifier === 'filesystem' && sources[0].watermark !== undefined;
}

/** The job-wide parallelism asked for: `table.exec.resource.default-parallelism` (when > 0) over `parallelism.default`; 1 by default. */
export function configuredParallelism(config: ReadonlyMap<string, string>): number {
  const table = Number(config.get('table.exec.resource.default-parallelism') ?? '-1');
  if (Number.isInteger(table) && table > 0) return table;
  const p = Number(config.get('parallelism.default') ?? '1');
  return Number.isInteger(p) && p > 0 ? p : 1;
}

/** Connectors whose sources share their splits out to workers (RuntimeContext.subtask). */
const SPLIT_SOURCES = new Set(['kafka', 'nexmark', 'filesystem']);
/** Sinks every worker writes on its own. */
const WORKER_SINKS = new Set(['blackhole']);

/** Why `roots` cannot run split across workers, or undefined when it can. */
export function parallelBlocker(roots: PhysicalNode[], config: ReadonlyMap<string, string>): string | undefined {
  return parallelShape(roots, config).why;
}

export type ParallelShape = 'stateless' | 'two-phase' | 'keyed';

/** How `roots` runs split across workers, or why it cannot. */
export function parallelShape(roots: PhysicalNode[], config: ReadonlyMap<string, string>): { shape?: ParallelShape; sinkInCoordinator?: boolean; why?: string } {
  const why = statelessBlocker(roots, config);
  if (!why) return { shape: 'stateless' };
  // Checkpoints are aligned across the workers of a two-phase or keyed run (barriers from the
  // coordinator), and a checkpoint or savepoint of one resumes at the same parallelism.
  const local = new Map([...config].filter(([k]) => k !== 'execution.checkpointing.interval' && k !== 'execution.savepoint.path'));
  const unordered = wholeSplitBlocker(roots);
  if (unordered) return { why: unordered };
  const two = twoPhaseWindowAggregate(roots);
  if (two.node) {
    // Below the aggregation: the stateless shape, with the aggregation's local phase as its sink.
    const below = statelessBlocker([{ kind: 'Collect', input: two.node.input, fields: two.node.input.fields }], local);
    if (!below) return { shape: 'two-phase' };
  }
  const keyed = statelessBlocker(roots, local, true);
  if (!keyed) return { shape: 'keyed' };
  // One sink that does not run on several workers: the coordinator runs it (and commits it at the aligned checkpoints).
  const sink = roots.length === 1 && roots[0].kind === 'Sink' ? roots[0] : undefined;
  if (sink && !statelessBlocker([{ kind: 'Collect', input: sink.input, fields: sink.input.fields }], local, true)) return { shape: 'keyed', sinkInCoordinator: true };
  return { why: keyed };
}

/**
 * Why the two-phase and keyed shapes, whose workers read each split whole (in order: keyed state
 * and late rows depend on it), cannot run `roots` (undefined: they can). A filesystem source in
 * monitor mode with a watermark: a worker whose share holds no file would hold every watermark
 * back (it sends none, and only a Kafka source says it is idle with no split: noSplits).
 */
function wholeSplitBlocker(roots: PhysicalNode[]): string | undefined {
  let why: string | undefined;
  const walk = (n: PhysicalNode): void => {
    if (n.kind === 'Source' && n.watermark && n.factory.identifier === 'filesystem' && getOption(n.table.options, n.factory.options, 'source.monitor-interval') !== undefined) {
      why ??= `the filesystem source ${n.name} in monitor mode reads each file by one worker, and a worker without a file would hold the watermark back`;
    }
    for (const c of children(n)) walk(c);
  };
  roots.forEach(walk);
  return why;
}

/**
 * The key columns of each input of `n` that the exchange routes by (an empty list: all rows to
 * one worker, as Flink's global exchange), or undefined when `n` keeps no keyed state.
 */
export function exchangeKeys(n: PhysicalNode): number[][] | undefined {
  switch (n.kind) {
    case 'GroupAggregate':
    case 'WindowAggregate':
      return [n.groupKeys];
    case 'StreamingJoin':
    case 'IntervalJoin':
    case 'TemporalJoin':
    case 'SemiJoin':
    case 'HashJoin':
      return [n.leftKeys, n.rightKeys];
    case 'Rank':
    case 'TopN':
    case 'WindowRank':
    case 'OverAggregate':
    case 'OverWindow':
      return [n.partitionKeys];
    case 'MatchRecognize':
      return [n.spec.partitionKeys];
    case 'Sort':
    case 'TemporalSort':
      return [[]];
    case 'WindowTableFunction':
      // Only session windows keep rows (per partition key); the others assign windows row by row.
      return n.window.kind === 'SESSION' ? [n.window.partitionKeys] : undefined;
    default:
      return undefined;
  }
}

/** A filesystem source lies below `n`. */
function readsFile(n: PhysicalNode): boolean {
  return n.kind === 'Source' ? n.factory.identifier === 'filesystem' : children(n).some(readsFile);
}

/** Why `n` cannot run behind the exchange (undefined: it can). */
function keyedBlocker(n: PhysicalNode): string | undefined {
  if (n.kind === 'SemiJoin' && n.nullAware) return 'a NOT IN subquery (a NULL on its right side matches every row) is not split across workers yet';
  // Flink reads a file with one reader at any parallelism, and the order of its FLOAT/DOUBLE
  // additions follows the watermark that reader has after each row (flinkLocalBuffer), which the
  // key exchange does not carry to the key's owner. (Kafka partitions are read by several readers
  // in Flink too, whose partial sums reach the global phase in no fixed order.)
  if (n.kind === 'WindowAggregate' && n.streaming === true && flinkLocalBuffer(n.window, n.aggs) !== undefined && readsFile(n))
    return 'a window aggregation over a file adds FLOAT/DOUBLE sums in the order of Flink\'s local window phase, which follows the file\'s rows in order (one reader in Flink)';
  if (exchangeKeys(n)) return undefined;
  return `the ${n.kind} operator does not run on several workers yet`;
}

function statelessBlocker(roots: PhysicalNode[], config: ReadonlyMap<string, string>, keyed = false): string | undefined {
  if (config.get('execution.checkpointing.interval')) return 'checkpointing is on, and checkpoints of a job without keyed operators are not yet aligned across workers';
  if (config.get('execution.savepoint.path')) return 'the job resumes a savepoint, which is not yet re-assigned across workers';
  if (config.get('execution.runtime-mode')?.toLowerCase() === 'batch') return 'batch mode runs at parallelism 1';
  let why: string | undefined;
  const walk = (n: PhysicalNode, top: boolean): void => {
    if (why) return;
    switch (n.kind) {
      case 'Source':
        if (n.lookup) why = `the lookup table ${n.name} is read whole`;
        else if (!SPLIT_SOURCES.has(n.factory.identifier)) why = `the source ${n.name} (connector '${n.factory.identifier}') does not share its splits across workers yet`;
        break;
      case 'Calc':
      case 'Union':
        break;
      case 'Sink':
        if (!WORKER_SINKS.has(n.factory.identifier)) why = `the sink ${n.name} (connector '${n.factory.identifier}') does not run on several workers yet`;
        break;
      case 'Collect':
        if (!top) why = 'a nested Collect';
        break;
      case 'Unnest':
      case 'Expand':
      case 'Replicate':
      case 'WindowTableFunction':
        if (!keyed) why = `the ${n.kind} operator runs behind the key exchange`;
        break;
      default:
        why = keyed ? keyedBlocker(n) : `the ${n.kind} operator needs the key exchange between workers`;
    }
    for (const c of children(n)) walk(c, false);
  };
  for (const r of roots) walk(r, true);
  return why;
}

/** The lines EXPLAIN adds about parallelism (none when 1 is asked for); `blocker`: a reason outside the plan. */
export function explainParallelism(roots: PhysicalNode[], config: ReadonlyMap<string, string>, blocker?: string): string[] {
  const p = configuredParallelism(config);
  if (p <= 1) return [];
  const { shape, why, sinkInCoordinator } = blocker ? { shape: undefined, why: blocker, sinkInCoordinator: undefined } : parallelShape(roots, config);
  const text = why
    ? `Runs at parallelism 1 (${p} asked for): ${why}.`
    : shape === 'keyed'
      ? `Runs at parallelism ${p}: each worker thread reads its share of the source splits; the rows going into each keyed operator are sent to the worker owning their key (key groups: a hash of the key modulo ${MAX_PARALLELISM}, in ranges per worker, as Flink's keyBy); checkpoints are aligned across the workers${roots.some((r) => r.kind === 'Collect') ? '; the collected rows are merged in the coordinator' : sinkInCoordinator ? '; the sink runs once, in the coordinator' : ''}.`
      : shape === 'two-phase'
      ? `Runs at parallelism ${p} in two phases (as Flink's table.optimizer.agg-phase-strategy TWO_PHASE): each worker thread reads its share of the source splits, runs the plan up to the window aggregation and pre-aggregates its rows per window and key (local); the coordinator merges the partial aggregates when the minimum watermark over the workers passes a window (global) and runs the rest of the plan and the sinks${twoPhaseChunkable(roots, config) ? '; one file is read in chunks (the first subtask in the coordinator thread), each subtask taking the next chunk when it needs one, and their partial aggregates are merged in file order with the watermarks of parallelism 1' : ''}.`
      : `Runs at parallelism ${p}: each worker thread reads its share of the source splits and runs the whole plan on them${roots.some((r) => r.kind === 'Collect') ? '; the collected rows are merged in the coordinator' : ''}.`;
  return ['== Parallelism ==', text, ''];
}
