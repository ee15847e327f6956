// A keyed job resumed at another parallelism (Flink's rescaling by key group): each worker of the
// new run takes, from the states of all the workers that took the checkpoint, the keyed state of
// the key groups it owns now (keyGroupRange) — a group aggregation's groups, a join's stored rows,
// a Top-N's partitions, a window aggregation's groups — restored one old state after the other
// (the keys of two old workers never meet). An operator's input watermarks become the minimum
// over the old workers'. A Kafka source's offsets are split names (topic-partition), so each new
// worker takes the offsets of the partitions it reads now; a source whose splits depend on the
// parallelism (nexmark's stride, a file's byte ranges) cannot be re-assigned, and says so.
import type { PhysicalNode } from '../../planner/physical.js';
import type { Row } from '../../common/types.js';
import { JobError } from '../../common/errors.js';
import { localStateForOnePhase, resolveWindowDelta, savedGroups } from '../operators/window.js';
import { keyGroupOf } from './exchange.js';

type SourceNode = Extract<PhysicalNode, { kind: 'Source' }>;

/** The state of one old worker (a WorkerState's sources and operators). */
export interface OldState {
  sources: unknown[];
  operators: unknown[];
}

/** What the new worker restores: per source one state; per operator the states to restore one after the other. */
export interface RescaledState {
  sources: unknown[];
  operators: unknown[][];
}

const identity = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

type BaseState = { wm?: (number | null)[] };

/** The operator base state (input watermarks) of `s` (an operator without state of its own snapshots only that). */
function baseOf(s: unknown): BaseState | undefined {
  if (!s || typeof s !== 'object') return undefined;
  if ('wm' in s) return s as BaseState;
  return (s as { base?: BaseState }).base;
}

/** Per input, the minimum over the old workers' watermarks (null: not known on one of them). */
function minBase(states: unknown[]): BaseState | undefined {
  const bases = states.map(baseOf).filter((b): b is BaseState => b?.wm !== undefined);
  if (!bases.length) return undefined;
  const n = bases[0].wm!.length;
  const wm: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    let m: number | null = Infinity;
    for (const b of bases) {
      const w = b.wm![i];
      if (w === null || w === undefined) m = null;
      else if (m !== null && w < m) m = w;
    }
    wm.push(m === Infinity ? null : m);
  }
  return { wm };
}

function withBase(s: unknown, base: BaseState | undefined): unknown {
  if (!base || !s || typeof s !== 'object') return s;
  if ('wm' in s) return base;
  return { ...(s as object), base };
}

/** `s` (one old worker's state of the operator built for `n`) keeping the keys `owns` takes; a string: why it cannot be split. */
function keepOwned(n: PhysicalNode | undefined, s: unknown, owns: (kg: number) => boolean): unknown {
  const st = s as Record<string, unknown>;
  const rows = (list: unknown, keys: number[], row: (e: unknown) => Row = (e) => e as Row) => ((list as unknown[]) ?? []).filter((e) => owns(keyGroupOf(row(e), keys)));
  switch (n?.kind) {
    case 'GroupAggregate': {
      const k = identity(n.groupKeys.length);
      return { ...st, groups: rows(st.groups, k, (g) => (g as [Row])[0]) };
    }
    case 'StreamingJoin':
      return { ...st, left: rows(st.left, n.leftKeys, (e) => (e as { row: Row }).row), right: rows(st.right, n.rightKeys, (e) => (e as { row: Row }).row) };
    case 'IntervalJoin':
      return { ...st, left: rows(st.left, n.leftKeys), right: rows(st.right, n.rightKeys) };
    case 'TopN':
      return { ...st, parts: ((st.parts as [Row[], Row[]][]) ?? []).filter(([r]) => r.length > 0 && owns(keyGroupOf(r[0], n.partitionKeys))) };
    case 'WindowAggregate': {
      const k = identity(n.groupKeys.length);
      const keep = (v: unknown) => (v === undefined ? undefined : [...savedGroups(v as never)].filter((g) => owns(keyGroupOf((g as unknown[])[2] as Row, k))));
      // An incremental checkpoint's delta: the whole state first (its chain of prior states).
      const whole = resolveWindowDelta(st as never) as unknown as Record<string, unknown>;
      return { ...whole, groups: keep(whole.groups), slices: keep(whole.slices), sessions: keep(whole.sessions) };
    }
    default: {
      // Only input watermarks (a Calc, a Union…): nothing keyed to split.
      const base = baseOf(s);
      if (base && (base === s || Object.keys(st).every((k) => k === 'base'))) return s;
      return `the ${n?.kind ?? 'unknown'} operator's state is not re-assigned by key group yet`;
    }
  }
}

/** A source's state (SourceDriver.snapshot) merged over the old workers: only a Kafka source's (offsets by partition). */
function mergeSource(node: SourceNode, states: unknown[]): unknown {
  if (node.factory.identifier !== 'kafka') {
    throw new JobError(
      `The source ${node.name} (connector '${node.factory.identifier}') cannot resume at another parallelism: which records each worker reads depends on the parallelism. Resume it at the parallelism the checkpoint was taken at, or start without it.`,
    );
  }
  const all = states as ({ source?: { offsets?: Record<string, number>; stops?: Record<string, number>; latest?: unknown[] }; watermark?: number | null } | undefined)[];
  const offsets: Record<string, number> = {};
  const stops: Record<string, number> = {};
  const latest: unknown[] = [];
  let anyStops = false;
  let anyLatest = false;
  let watermark: number | null = Infinity;
  for (const s of all) {
    Object.assign(offsets, s?.source?.offsets ?? {});
    if (s?.source?.stops) {
      anyStops = true;
      Object.assign(stops, s.source.stops);
    }
    if (s?.source?.latest) {
      anyLatest = true;
      latest.push(...s.source.latest);
    }
    const w = s?.watermark;
    if (w === null || w === undefined) watermark = null;
    else if (watermark !== null && w < watermark) watermark = w;
  }
  // Per-split watermarks are left out: a split this worker no longer reads would hold its watermark back.
  return { source: { offsets, ...(anyStops ? { stops } : {}), ...(anyLatest ? { latest } : {}) }, splits: {}, watermark: watermark === Infinity ? null : watermark };
}

/**
 * What a worker owning the key groups `owns` takes restores from the states of the old workers:
 * `sources` and `ops` are the new job's sources and the nodes its operators were built for, in
 * build order (the old states have the same order: same plan).
 */
export function rescaleStates(old: OldState[], sources: SourceNode[], ops: { node?: PhysicalNode; localGlobal?: boolean }[], owns: (kg: number) => boolean): RescaledState {
  const out: RescaledState = { sources: [], operators: [] };
  sources.forEach((node, i) => {
    out.sources.push(node.lookup ? undefined : mergeSource(node, old.map((o) => o.sources[i])));
  });
  ops.forEach(({ node, localGlobal }, i) => {
    let states = old.map((o) => o.operators[i]);
    const parts = (k: 'local' | 'global') => states.map((s) => (isLocalGlobal(s) ? s[k] : k === 'global' ? s : undefined));
    if (states.some(isLocalGlobal)) {
      if (localGlobal) {
        // Window aggregations in two phases on both sides: each phase re-assigned on its own.
        const local = splitStates(node, parts('local'), owns);
        const global = splitStates(node, parts('global'), owns);
        out.operators.push(global.map((g, j) => ({ local: local[j], global: g })));
        return;
      }
      // Into one window aggregation: the global phases' groups, then the partials not sent yet (merged into them).
      const w = node?.kind === 'WindowAggregate' ? node.window : undefined;
      states = [...parts('global'), ...parts('local').map((s) => (w ? localStateForOnePhase(w, s) : s))];
    }
    out.operators.push(splitStates(node, states, owns));
  });
  return out;
}

type LocalGlobalState = { local: unknown; global: unknown };
const isLocalGlobal = (s: unknown): s is LocalGlobalState => !!s && typeof s === 'object' && 'global' in s && 'local' in s;

/** The states of one operator on the old workers, each keeping what `owns` takes, with the minimum watermarks. */
function splitStates(node: PhysicalNode | undefined, states: unknown[], owns: (kg: number) => boolean): unknown[] {
  const base = minBase(states);
  // A sliced window aggregation's progress (the last watermark its slices fired at): the minimum too.
  const progress = states.reduce<number | null | undefined>((m, s) => {
    const p = (s as { progress?: number | null } | undefined)?.progress;
    if (p === undefined) return m;
    if (p === null || m === null) return null;
    return m === undefined || p < m ? p : m;
  }, undefined);
  const list: unknown[] = [];
  for (const s of states) {
    if (s === undefined || s === null) continue;
    const kept = keepOwned(node, s, owns);
    if (typeof kept === 'string') throw new JobError(`The checkpoint cannot resume at another parallelism: ${kept}. Resume it at the parallelism it was taken at, or start without it.`);
    const withMin = withBase(kept, base);
    list.push(progress !== undefined && withMin && typeof withMin === 'object' && 'progress' in withMin ? { ...withMin, progress } : withMin);
  }
  return list;
}
