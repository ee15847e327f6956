// Which plans run split across worker threads (parallelism > 1), and why the others run at 1.
//
// Built so far: the stateless shape — sources whose splits can be shared out (Kafka partitions,
// Nexmark events by stride), Calc/Union, and sinks that each worker can write on its own
// (blackhole) or that the coordinator runs once (the Collect of a SELECT). A keyed operator
// (aggregation, join, window, Top-N…) needs the key exchange between workers, which is not built
// yet: such a plan runs at parallelism 1 and EXPLAIN says so.
import { children, type PhysicalNode } from '../../planner/physical.js';

/** The job-wide parallelism asked for: `table.exec.resource.default-parallelism` (when > 0) over `parallelism.default`; 1 by default. */
export function configuredParallelism(config: ReadonlyMap<string, string>): number {
  const table = Number(config.get('table.exec.resource.default-parallelism') ?? '-1');
  if (Number.isInteger(table) && table > 0) return table;
  const p = Number(config.get('parallelism.default') ?? '1');
  return Number.isInteger(p) && p > 0 ? p : 1;
}

/** Connectors whose sources share their splits out to workers (RuntimeContext.subtask). */
const SPLIT_SOURCES = new Set(['kafka', 'nexmark']);
/** Sinks every worker writes on its own. */
const WORKER_SINKS = new Set(['blackhole']);

/** Why `roots` cannot run split across workers, or undefined when it can. */
export function parallelBlocker(roots: PhysicalNode[], config: ReadonlyMap<string, string>): string | undefined {
  if (config.get('execution.checkpointing.interval')) return 'checkpointing is on, and checkpoints are not yet aligned across workers';
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
      default:
        why = `the ${n.kind} operator needs the key exchange between workers, which is not built yet`;
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
  const why = blocker ?? parallelBlocker(roots, config);
  const text = why
    ? `Runs at parallelism 1 (${p} asked for): ${why}.`
    : `Runs at parallelism ${p}: each worker thread reads its share of the source splits and runs the whole plan on them${roots.some((r) => r.kind === 'Collect') ? '; the collected rows are merged in the coordinator' : ''}.`;
  return ['== Parallelism ==', text, ''];
}
