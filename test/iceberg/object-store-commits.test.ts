// Hadoop-catalog commits on object stores: a commit is a create-if-absent of v<N+1>.metadata.json.
// A store that ignores If-None-Match (s3rver here; some S3-compatible stores) lets two writers
// both "create" it, the second overwriting the first. The commit reads its version back, and the
// next commit checks it again: a lost commit is a conflict (retried) or a refusal, never silent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { fileIOFor, type FileIO, type WriteOptions } from '../../src/io/fileio.js';
import { HadoopTableOperations } from '../../src/connectors/iceberg/table.js';
import { CommitConflictError, newTableMetadata, type TableMetadata } from '../../src/connectors/iceberg/metadata.js';
import { tempDir } from './helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';

/** Lets a test decide the order of two writers' steps: each step waits for its turn. */
class Turns {
  private waiters = new Map<string, () => void>();
  private done = new Set<string>();
  reached(step: string): void {
    this.done.add(step);
    this.waiters.get(step)?.();
  }
  after(step: string): Promise<void> {
    if (this.done.has(step)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(step, resolve));
  }
}

/**
 * A FileIO of one writer whose create of `file` waits until the other writer has also found it
 * absent (both passed the existence check, as in a true race), and whose steps are ordered by `order`.
 */
function racingIO(inner: FileIO, who: 'A' | 'B', file: string, turns: Turns, order: { write?: string; read?: string }): FileIO {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return async (location: string, data: Uint8Array, options?: WriteOptions) => {
          if (location !== file || !options?.ifAbsent) return target.write(location, data, options);
          const absent = !(await target.exists(location));
          turns.reached(`${who} checked`);
          await turns.after(`${who === 'A' ? 'B' : 'A'} checked`);
          if (order.write) await turns.after(order.write);
          try {
            // Both found it absent; what the store does with two creates is now up to the store.
            if (absent && options.ifAbsent) await conditionalPut(target, location, data);
            else await target.write(location, data, options);
          } finally {
            turns.reached(`${who} wrote`);
          }
        };
      }
      if (prop === 'read') {
        return async (location: string) => {
          if (location === file && order.read) await turns.after(order.read);
          const out = await target.read(location);
          if (location === file) turns.reached(`${who} read`);
          return out;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The store's own create-if-absent, without tsstream's existence check in front of it. */
async function conditionalPut(io: FileIO, location: string, data: Uint8Array): Promise<void> {
  const s3 = io as unknown as { putIfNoneMatch(location: string, data: Uint8Array): Promise<void> };
  await s3.putIfNoneMatch(location, data);
}

const SCHEMA = { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: false, type: 'int' }] } as const;

async function newTable(options: Record<string, string>, warehouse: string, name: string): Promise<{ location: string; io: FileIO }> {
  const location = `${warehouse}/db/${name}`;
  const io = await fileIOFor(location, options);
  const meta = newTableMetadata({ location, schema: SCHEMA as never, lastColumnId: 1, spec: { 'spec-id': 0, fields: [] }, lastPartitionId: 999, properties: {} });
  await new HadoopTableOperations(io, location, `db.${name}`).create(meta);
  return { location, io };
}

const setProp = (k: string) => [{ action: 'set-properties' as const, updates: { [k]: 'yes' } }];

async function race(options: Record<string, string>, warehouse: string, name: string, order: { A: { write?: string; read?: string }; B: { write?: string; read?: string } }) {
  const { location, io } = await newTable(options, warehouse, name);
  const file = `${location}/metadata/v2.metadata.json`;
  const turns = new Turns();
  const a = new HadoopTableOperations(racingIO(io, 'A', file, turns, order.A), location, `db.${name}`);
  const b = new HadoopTableOperations(racingIO(io, 'B', file, turns, order.B), location, `db.${name}`);
  const [baseA, baseB] = [await a.load(), await b.load()];
  const results = await Promise.allSettled([a.commit(baseA, setProp('written-by-a'), []), b.commit(baseB, setProp('written-by-b'), [])]);
  return { a, b, results, reader: new HadoopTableOperations(io, location, `db.${name}`) };
}

function props(m: TableMetadata): string[] {
  return Object.keys(m.properties).filter((k) => k.startsWith('written-by-')).sort();
}

describe('a store that ignores If-None-Match (s3rver)', () => {
  let server: { run(): Promise<unknown>; close(): Promise<void> };
  let dir: string;
  let options: Record<string, string>;
  beforeAll(async () => {
    dir = await tempDir('tsstream-s3-race-');
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'warehouse', configs: [] }] });
    const addr = (await server.run()) as unknown as { port: number };
    options = {
      's3.endpoint': `http://127.0.0.1:${addr.port}`,
      's3.path-style-access': 'true',
      's3.access-key-id': 'S3RVER',
      's3.secret-access-key': 'S3RVER',
      'client.region': 'us-east-1',
    };
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a writer whose version was overwritten before it read it back gets a conflict, and its retry keeps both commits', async () => {
    // A creates, B overwrites, then A reads back.
    const { a, results, reader } = await race(options, 's3://warehouse/wh', 't1', { A: { read: 'B wrote' }, B: { write: 'A wrote' } });
    expect(results[1].status).toBe('fulfilled');
    expect(results[0].status).toBe('rejected');
    const err = (results[0] as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(CommitConflictError);
    expect(String(err.message)).toMatch(/db\.t1.*version 2 .*another writer/);
    // A retries on the table as it now is.
    await a.commit(await a.load(), setProp('written-by-a'), []);
    expect(props(await reader.load())).toEqual(['written-by-a', 'written-by-b']);
  });

  it('a writer whose version was overwritten after it read it back is stopped at its next commit, naming the store and the remedy', async () => {
    // A creates and reads back, then B overwrites: A believes its commit landed.
    const { a, results, reader } = await race(options, 's3://warehouse/wh', 't2', { A: {}, B: { write: 'A read' } });
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(props(await reader.load())).toEqual(['written-by-b']);
    const next = a.commit(await a.load(), setProp('written-by-a-again'), []);
    await expect(next).rejects.toThrow(/db\.t2: metadata version 2 committed by this writer was overwritten by another writer.*If-None-Match.*one writer.*REST or Glue catalog/s);
    await expect(next).rejects.not.toBeInstanceOf(CommitConflictError);
  });
});

describe.skipIf(!hasPeer('moto'))(`a store that honours If-None-Match (moto: ${skipReason('moto') ?? 'running'})`, () => {
  let options: Record<string, string>;
  beforeAll(async () => {
    options = s3Options(peer<MotoEndpoint>('moto'));
    const s3 = new S3Client({ endpoint: options['s3.endpoint'], region: options['client.region'], forcePathStyle: true, credentials: { accessKeyId: options['s3.access-key-id'], secretAccessKey: options['s3.secret-access-key'] } });
    await s3.send(new CreateBucketCommand({ Bucket: 'race-warehouse' })).catch(() => undefined);
    s3.destroy();
  });

  it('refuses the second create: one commit lands, the other gets a conflict, and its retry keeps both', async () => {
    const { a, b, results, reader } = await race(options, 's3://race-warehouse/wh', 't3', { A: {}, B: { write: 'A wrote' } });
    expect(results[0].status).toBe('fulfilled');
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(CommitConflictError);
    await b.commit(await b.load(), setProp('written-by-b'), []);
    await a.commit(await a.load(), setProp('written-by-a-again'), []);
    expect(props(await reader.load())).toEqual(['written-by-a', 'written-by-a-again', 'written-by-b']);
  });
});
