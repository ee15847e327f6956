// Shared helpers of the Kafka connector tests: tables, a runtime context, draining a source.
import type { DynamicSource, RuntimeContext, ScanRequest, SourceBatch, TableDescriptor, MetadataColumn } from '../../src/common/connector.js';
import type { Field, Row } from '../../src/common/types.js';
import { kafkaFactory } from '../../src/connectors/kafka/index.js';

export interface TestContext extends RuntimeContext {
  metrics: Map<string, number>;
  logs: string[];
  abort(): void;
}

export function testContext(): TestContext {
  const controller = new AbortController();
  const metrics = new Map<string, number>();
  const logs: string[] = [];
  return {
    jobId: 'job-1',
    jobName: 'kafka-test',
    config: new Map(),
    signal: controller.signal,
    log: (level, message) => void logs.push(`${level}: ${message}`),
    metric: (name, delta) => void metrics.set(name, (metrics.get(name) ?? 0) + delta),
    metrics,
    logs,
    abort: () => controller.abort(),
  };
}

export function table(physical: Field[], options: Record<string, string>, metadata: MetadataColumn[] = []): TableDescriptor {
  return { path: { catalog: 'default_catalog', database: 'default_database', table: 't' }, physical, metadata, options, partitionKeys: [] };
}

export function source(t: TableDescriptor, scan: Partial<ScanRequest> = {}, config: ReadonlyMap<string, string> = new Map()): DynamicSource {
  return kafkaFactory.createSource!(t, { batch: false, ...scan }, { config });
}

/** Polls until `count` rows arrived (or the source ended); returns rows per split in arrival order. */
export async function drain(src: DynamicSource, count: number, timeoutMs = 10_000): Promise<{ rows: Row[]; bySplit: Map<string, Row[]>; ended: boolean }> {
  const rows: Row[] = [];
  const bySplit = new Map<string, Row[]>();
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  while (rows.length < count && Date.now() < deadline) {
    const batches: SourceBatch[] | null = await src.poll(200);
    if (batches === null) {
      ended = true;
      break;
    }
    for (const b of batches) {
      rows.push(...b.rows);
      bySplit.set(b.split, [...(bySplit.get(b.split) ?? []), ...b.rows]);
    }
  }
  return { rows, bySplit, ended };
}

/** Polls a bounded source to its end. */
export async function drainToEnd(src: DynamicSource, timeoutMs = 10_000): Promise<Row[]> {
  const rows: Row[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`source did not end within ${timeoutMs} ms (${rows.length} rows)`);
    const batches = await src.poll(200);
    if (batches === null) return rows;
    for (const b of batches) rows.push(...b.rows);
  }
}
