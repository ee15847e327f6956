// Source and sub-plan reuse (Flink's table.optimizer.reuse-source-enabled and
// reuse-sub-plan-enabled): the scans of one job that read the same table with the same options
// become one Source node referenced by every reader, and equal sub-plans above them (the same
// operators over the same inputs) one node, so the physical plan is a DAG and the table is read
// (fetched, decoded, watermarked) and each shared sub-plan computed once.
import type { PushdownPredicate } from '../common/connector.js';
import { getScalarFunction } from '../functions/registry.js';
import { children, mapChildren, type PhysicalNode } from './physical.js';

type SourceNode = Extract<PhysicalNode, { kind: 'Source' }>;

/** JSON text of plan values (BIGINT literals are bigints). */
function keyText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

/**
 * What makes two scans one: the table (name, connector, declared columns, options after hints),
 * the row built from it (computed columns, watermark, metadata), the mode. Pushed-down filters
 * count only for a connector that prunes with them (as Flink reuses only scans with the same
 * filter push-down); the others ignore them and every reader filters its rows itself (the Calc
 * above keeps the whole condition). A lookup side is read apart (whole, again on each reload).
 */
function reuseKey(s: SourceNode): string | undefined {
  if (s.lookup) return undefined;
  const filters = s.factory.supportsFilterPushDown ? (s.scan.filters ?? []) : null;
  return keyText([s.name, s.factory.identifier, s.table, s.scan.projection ?? null, s.scan.metadataKeys ?? [], s.scan.batch, s.computed ?? null, s.watermark ?? null, s.fields, filters]);
}

/** The predicates every reader pushed down (what the shared scan may still prune with). */
function commonFilters(scans: SourceNode[]): PushdownPredicate[] | undefined {
  const [first, ...rest] = scans.map((s) => s.scan.filters ?? []);
  const kept = first.filter((p) => rest.every((fs) => fs.some((q) => keyText(q) === keyText(p))));
  return kept.length ? kept : undefined;
}

/** The plans of one job with every group of equal scans replaced by one shared Source node. */
export function reuseSources(roots: PhysicalNode[]): PhysicalNode[] {
  const groups = new Map<string, SourceNode[]>();
  const collect = (n: PhysicalNode): void => {
    if (n.kind === 'Source') {
      const k = reuseKey(n);
      if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), n]);
    }
    children(n).forEach(collect);
  };
  roots.forEach(collect);
  const shared = new Map<SourceNode, SourceNode>();
  for (const scans of groups.values()) {
    if (scans.length < 2) continue;
    const one: SourceNode = { ...scans[0], scan: { ...scans[0].scan, filters: commonFilters(scans) } };
    for (const s of scans) shared.set(s, one);
  }
  if (!shared.size) return roots;
  const rewrite = (n: PhysicalNode): PhysicalNode => (n.kind === 'Source' ? (shared.get(n) ?? n) : mapChildren(n, rewrite));
  return roots.map(rewrite);
}

/**
 * Whether a node may be computed once for several readers: not a sink or a collect, not a lookup
 * join (its table is read apart), and no expression of it calls a function that is not
 * deterministic (RAND, a JavaScript UDF: each reader would draw its own values).
 */
function shareable(n: PhysicalNode): boolean {
  if (n.kind === 'Sink' || n.kind === 'Collect' || n.kind === 'Values' || n.kind === 'LookupJoin' || n.kind === 'Source') return false;
  let ok = true;
  JSON.stringify(own(n), (_k, x) => {
    if (x && typeof x === 'object' && x.kind === 'call' && typeof x.op === 'string') {
      const f = getScalarFunction(x.op);
      if (f && f.deterministic !== true) ok = false;
    }
    return typeof x === 'bigint' ? `${x}n` : x;
  });
  return ok;
}

/** A node without its inputs. */
function own(n: PhysicalNode): Record<string, unknown> {
  const { input: _i, inputs: _is, left: _l, right: _r, ...rest } = n as unknown as Record<string, unknown>;
  return rest;
}

/** The plans with equal sub-plans (the same node over the same, already shared, inputs) made one node. */
export function reuseSubplans(roots: PhysicalNode[]): PhysicalNode[] {
  const canon = new Map<PhysicalNode, PhysicalNode>();
  const byDigest = new Map<string, PhysicalNode>();
  const ids = new Map<PhysicalNode, number>();
  const id = (n: PhysicalNode): number => {
    if (!ids.has(n)) ids.set(n, ids.size);
    return ids.get(n)!;
  };
  const visit = (n: PhysicalNode): PhysicalNode => {
    const done = canon.get(n);
    if (done) return done;
    let out = n.kind === 'Source' ? n : mapChildren(n, visit);
    if (shareable(out)) {
      const digest = keyText([own(out), children(out).map(id)]);
      const prior = byDigest.get(digest);
      if (prior) out = prior;
      else byDigest.set(digest, out);
    }
    canon.set(n, out);
    id(out);
    return out;
  };
  return roots.map(visit);
}

/** The nodes a plan reads more than once (shared by reuseSources / reuseSubplans), in the order first met. */
export function sharedNodes(roots: PhysicalNode[]): PhysicalNode[] {
  const seen = new Set<PhysicalNode>();
  const twice = new Set<PhysicalNode>();
  const walk = (n: PhysicalNode): void => {
    if (seen.has(n)) {
      twice.add(n);
      return;
    }
    seen.add(n);
    children(n).forEach(walk);
  };
  roots.forEach(walk);
  return [...seen].filter((s) => twice.has(s));
}
