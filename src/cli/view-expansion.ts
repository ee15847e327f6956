// SHOW CREATE VIEW prints a view's query as Flink does: "expanded", every table by its full path
// and every column qualified by its table, all quoted (`*` stays). Done for the plain shape
// (a SELECT over named tables and joins of them); anything else is printed as written.
import type * as A from '../parser/ast.js';

/** A FROM table: its full path and its columns. */
export interface ViewTable {
  path: string[];
  columns: string[];
}

interface Source {
  /** The name columns are qualified with: the alias, else the table name. */
  qualifier: string;
  columns: string[];
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The expanded query, or undefined when its shape is not one this handles. */
export async function expandViewQuery(q: A.Query, lookup: (name: A.ObjectName) => Promise<ViewTable | undefined>): Promise<A.Query | undefined> {
  if (q.with.length || q.body.kind !== 'select') return undefined;
  const s = q.body;
  if (!s.from || s.windows.length) return undefined;
  const sources: Source[] = [];
  let ok = true;
  const qualify = (parts: string[]): string[] | undefined => {
    if (parts.length >= 2 && sources.some((x) => eq(x.qualifier, parts[0]))) return parts;
    const owners = sources.filter((x) => x.columns.some((c) => eq(c, parts[0])));
    if (owners.length !== 1) return undefined;
    return [owners[0].qualifier, ...parts];
  };
  // Rewrites column references and function names inside an expression (a deep copy).
  const expr = (e: A.Expr | undefined): A.Expr | undefined => {
    if (!e) return e;
    const visit = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(visit);
      if (v === null || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      if (o.kind === 'exists' || o.kind === 'inSubquery' || o.kind === 'scalarSubquery' || (o.kind === 'call' && (o as { over?: unknown }).over)) {
        ok = false;
        return v;
      }
      if (o.kind === 'ident') {
        const parts = qualify(o.parts as string[]);
        if (!parts) {
          ok = false;
          return v;
        }
        return { ...o, parts, quoted: parts.map(() => true) };
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = k === 'pos' ? x : visit(x);
      if (o.kind === 'call') {
        const name = o.name as A.ObjectName;
        if (name.parts.length === 1) out.name = { ...name, parts: [name.parts[0].toUpperCase()], quoted: [false] };
      }
      return out;
    };
    return visit(e) as A.Expr;
  };
  const expandFrom = async (t: A.TableRef): Promise<A.TableRef | undefined> => {
    if (t.kind === 'table') {
      if (t.forSystemTime || t.hints.length || t.alias?.columns) return undefined;
      const found = await lookup(t.name);
      if (!found) return undefined;
      sources.push({ qualifier: t.alias?.name.value ?? t.name.parts[t.name.parts.length - 1], columns: found.columns });
      const name: A.ObjectName = { parts: found.path, quoted: found.path.map(() => true), pos: t.name.pos };
      return { ...t, name, alias: t.alias ? { name: { ...t.alias.name, quoted: true } } : undefined };
    }
    if (t.kind === 'join') {
      if (t.natural || t.using) return undefined;
      const left = await expandFrom(t.left);
      const right = await expandFrom(t.right);
      if (!left || !right) return undefined;
      const on = expr(t.on);
      return { ...t, left, right, on };
    }
    return undefined;
  };
  const from = await expandFrom(s.from);
  if (!from) return undefined;
  const items: A.SelectItem[] = [];
  for (const i of s.items) {
    if (i.kind === 'wildcard') {
      // Flink keeps `*` (and `t.*`) as written.
      if (i.qualifier) return undefined;
      items.push(i);
      continue;
    }
    items.push({ ...i, expr: expr(i.expr)!, alias: i.alias ? { ...i.alias, quoted: true } : undefined });
  }
  if (s.groupBy.some((g) => g.kind !== 'expr')) return undefined;
  const groupBy = s.groupBy.map((g) => ({ ...g, expr: expr((g as { expr: A.Expr }).expr)! }));
  const select: A.Select = { ...s, items, from, where: expr(s.where), groupBy, having: expr(s.having) };
  const orderBy = q.orderBy.map((o) => ({ ...o, expr: expr(o.expr)! }));
  return ok ? { ...q, body: select, orderBy } : undefined;
}
