// Shared test helpers for connector tests: table descriptors, a runtime context, temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DynamicSource, RuntimeContext, ScanRequest, TableDescriptor } from '../../src/common/connector.js';
import type { Field, Row } from '../../src/common/types.js';

export function table(physical: Field[], options: Record<string, string>, partitionKeys: string[] = []): TableDescriptor {
  return {
    path: { catalog: 'default_catalog', database: 'default_database', table: 't' },
    physical,
    metadata: [],
    options,
    partitionKeys,
  };
}

export const scan = (over: Partial<ScanRequest> = {}): ScanRequest => ({ batch: false, ...over });

export interface TestContext extends RuntimeContext {
  metrics: Map<string, number>;
  logs: string[];
  abort(): void;
}

export function context(): TestContext {
  const ac = new AbortController();
  const metrics = new Map<string, number>();
  const logs: string[] = [];
  return {
    jobId: 'job-1',
    jobName: 'test',
    config: new Map(),
    signal: ac.signal,
    log: (level, message) => logs.push(`${level}: ${message}`),
    metric: (name, delta) => metrics.set(name, (metrics.get(name) ?? 0) + delta),
    metrics,
    logs,
    abort: () => ac.abort(),
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsstream-conn-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls a bounded source to its end (or until `max` rows), returning all rows and the splits seen. */
export async function drain(source: DynamicSource, max = Infinity, timeoutMs = 50): Promise<{ rows: Row[]; splits: string[] }> {
  const rows: Row[] = [];
  const splits: string[] = [];
  for (let i = 0; i < 100000 && rows.length < max; i++) {
    const batches = await source.poll(timeoutMs);
    if (batches === null) break;
    for (const b of batches) {
      rows.push(...b.rows);
      if (b.rows.length && !splits.includes(b.split)) splits.push(b.split);
    }
  }
  return { rows, splits };
}
