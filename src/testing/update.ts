// `--update`: writes the rows each sink actually received into the expect files, or into the
// spec itself for inline expectations (comments and layout of the rest of the spec are kept).
import { promises as fs } from 'node:fs';
import { LineCounter, isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import { writeRowsFile } from './fixtures.js';
import type { RowsRef } from './spec.js';

export interface Update {
  ref: RowsRef;
  sinkName: string;
  rows: Record<string, unknown>[];
  columns: string[];
}

/** Applies the updates of the documents of one spec file; resolves with the number of rows written. */
export async function applyUpdates(specFile: string, byDoc: Map<number, Update[]>): Promise<number> {
  let n = 0;
  let inline = false;
  for (const ups of byDoc.values()) {
    for (const u of ups) {
      n += u.rows.length;
      if (u.ref.file) await writeRowsFile(u.ref.file, u.rows, u.columns);
      else inline = true;
    }
  }
  if (!inline) return n;
  const text = await fs.readFile(specFile, 'utf8');
  const docs = parseAllDocuments(text, { lineCounter: new LineCounter() }) as Document.Parsed[];
  for (const [di, ups] of byDoc) {
    const doc = docs[di];
    if (!doc) continue;
    for (const u of ups) {
      if (u.ref.file) continue;
      const node = doc.createNode(u.rows);
      node.flow = u.rows.length === 0;
      for (const item of node.items) if (isMap(item)) item.flow = true;
      const p = u.ref.yamlPath;
      // `sinks: {t: }` (no value yet) or the short form `sinks: {t: [..]}`.
      const parent = doc.getIn(p.slice(0, -1), true);
      if (p.length >= 3 && p[p.length - 1] === 'expect' && !isMap(parent)) doc.setIn(p.slice(0, -1), doc.createNode({ expect: node }));
      else doc.setIn(p, node);
      // Rows go one per line: the collections above them become block style when there are rows.
      if (u.rows.length) {
        for (let i = 1; i < p.length; i++) {
          const c = doc.getIn(p.slice(0, i), true);
          if (isMap(c) || isSeq(c)) c.flow = false;
        }
      }
    }
  }
  const str = (d: Document.Parsed) => d.toString({ lineWidth: 0, flowCollectionPadding: false });
  const out = docs.length === 1 ? str(docs[0]) : docs.map((d, i) => (i === 0 || str(d).startsWith('---') ? str(d) : '---\n' + str(d))).join('');
  await fs.writeFile(specFile, out);
  return n;
}
