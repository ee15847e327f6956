// The `avro-confluent` format, as Flink's (flink-avro-confluent-registry): Confluent's wire
// format, a zero magic byte, the writer schema's id (4 bytes, big-endian) and the Avro binary
// datum. Reading fetches the writer schema of each id from the schema registry once (cached) and
// resolves it into the table's schema (Flink's AvroSchemaConverter schema, as `avro`); writing
// registers the table's schema under the subject (`<topic>-value` / `<topic>-key` on Kafka
// unless 'avro-confluent.subject' is set) and writes with the id the registry gives it.
// Logical types are exact, as in `avro`.
import type avro from 'avsc';
import { ConnectorError, ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import type { Field, Row } from '../common/types.js';
import type { FormatFactory, RecordLocation, RowDecoder, RowEncoder } from './api.js';
import { avroType, reader, tableAvroSchema, writer, type Conv } from './avro.js';
import { formatOptions } from './common.js';

export const AVRO_CONFLUENT_OPTIONS: readonly OptionSpec[] = [
  { key: 'url', type: 'string', required: true, description: "URL of the Confluent-compatible schema registry, e.g. 'http://localhost:8081'" },
  { key: 'subject', type: 'string', description: "Subject the table's schema is registered under when writing (default on Kafka: '<topic>-value' / '<topic>-key')" },
  { key: 'schema', type: 'string', description: "The writer schema (Avro JSON) to register instead of the one derived from the table; it must describe the table's columns" },
  { key: 'basic-auth.credentials-source', type: 'enum', values: ['USER_INFO', 'URL'], description: "Where HTTP basic-auth credentials come from: 'USER_INFO' ('basic-auth.user-info') or 'URL' (the url's user:password@); without it none are sent, as in Flink" },
  { key: 'basic-auth.user-info', type: 'string', secret: true, description: "'user:password' for HTTP basic authentication with the registry (sent when basic-auth.credentials-source is 'USER_INFO')" },
  { key: 'bearer-auth.credentials-source', type: 'enum', values: ['STATIC_TOKEN'], description: "Where the bearer token comes from: 'STATIC_TOKEN' ('bearer-auth.token'); without it none is sent, as in Flink" },
  { key: 'bearer-auth.token', type: 'string', secret: true, description: "Bearer token for the registry (sent when bearer-auth.credentials-source is 'STATIC_TOKEN')" },
  { key: 'properties.', type: 'string', prefix: true, description: 'Other schema registry client properties (accepted for compatibility with Flink; ignored)' },
  { key: 'ssl.keystore.location', type: 'string', description: 'Accepted for compatibility with Flink; not supported (use an http registry or a TLS-terminating proxy)' },
  { key: 'ssl.keystore.password', type: 'string', secret: true, description: 'Accepted for compatibility with Flink; not supported' },
  { key: 'ssl.truststore.location', type: 'string', description: 'Accepted for compatibility with Flink; not supported' },
  { key: 'ssl.truststore.password', type: 'string', secret: true, description: 'Accepted for compatibility with Flink; not supported' },
];

/** A client of the Confluent schema registry REST API (works with Apicurio's /apis/ccompat/v7). */
export class SchemaRegistryClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly byId = new Map<number, Promise<avro.Type>>();
  constructor(url: string, auth: { userInfo?: string; token?: string }) {
    this.base = url.replace(/\/+$/, '');
    this.headers = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (auth.userInfo !== undefined) this.headers.Authorization = `Basic ${Buffer.from(auth.userInfo).toString('base64')}`;
    else if (auth.token !== undefined) this.headers.Authorization = `Bearer ${auth.token}`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new ConnectorError(`cannot reach the schema registry at ${this.base}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        /* not JSON */
      }
      const auth = res.status === 401 || res.status === 403 ? ' (check the format\'s basic-auth.credentials-source / basic-auth.user-info or bearer-auth.credentials-source / bearer-auth.token)' : '';
      throw new ConnectorError(`schema registry ${this.base} answered ${res.status} to ${method} ${path}${auth}: ${detail}`);
    }
    return JSON.parse(text) as unknown;
  }

  /** The writer schema of an id, parsed (fetched once). */
  schemaById(id: number): Promise<avro.Type> {
    let p = this.byId.get(id);
    if (!p) {
      p = (async () => {
        const r = (await this.call('GET', `/schemas/ids/${id}`)) as { schema?: string; schemaType?: string };
        if (r.schemaType && r.schemaType !== 'AVRO') throw new ConnectorError(`schema id ${id} in the registry ${this.base} is a ${r.schemaType} schema, not Avro`);
        return avroType(JSON.parse(r.schema ?? 'null') as Record<string, unknown>);
      })();
      p.catch(() => this.byId.delete(id)); // a failed fetch is retried by the next record
      this.byId.set(id, p);
    }
    return p;
  }

  /** Registers a schema under a subject (idempotent in the registry); its id. */
  async register(subject: string, schema: object): Promise<number> {
    const r = (await this.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema) })) as { id?: number };
    if (typeof r.id !== 'number') throw new ConnectorError(`schema registry ${this.base} registered subject '${subject}' without an id`);
    return r.id;
  }
}

const clients = new Map<string, SchemaRegistryClient>();

/** The registry client and write settings of an avro-confluent or debezium-avro-confluent format's options. */
export function registrySettings(options: Record<string, string>, format = 'avro-confluent') {
  const o = formatOptions(format, options, AVRO_CONFLUENT_OPTIONS);
  const raw = o.str('url')!;
  let parsed: URL | undefined;
  try {
    parsed = /^https?:\/\//i.test(raw) ? new URL(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed) throw new ValidationError(`Invalid value '${raw.replace(/\/\/[^/@]*@/, '//******@')}' for option '${format}.url': expected an http:// or https:// URL of the schema registry`);
  // The URL's user info is a credential: it is never part of the address that is called or printed.
  const urlUserInfo = parsed.username ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : undefined;
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString();
  const has = (k: string) => o.str(k) !== undefined;
  const opt = (k: string) => `'${format}.${k}'`;
  // As Flink's (Confluent's) client: credentials are sent only as their credentials-source says.
  let userInfo: string | undefined;
  const basicSource = o.str('basic-auth.credentials-source');
  if (basicSource === 'USER_INFO') {
    userInfo = o.str('basic-auth.user-info');
    if (userInfo === undefined) throw new ValidationError(`Option ${opt('basic-auth.credentials-source')} is 'USER_INFO', but ${opt('basic-auth.user-info')} is not set`);
    if (!userInfo.includes(':')) throw new ValidationError(`Invalid value '******' for option ${opt('basic-auth.user-info')}: expected 'user:password'`);
  } else if (basicSource === 'URL') {
    userInfo = urlUserInfo;
    if (userInfo === undefined) throw new ValidationError(`Option ${opt('basic-auth.credentials-source')} is 'URL', but ${opt('url')} has no user:password@`);
  }
  const token = o.str('bearer-auth.credentials-source') === 'STATIC_TOKEN' ? o.str('bearer-auth.token') : undefined;
  if (has('bearer-auth.credentials-source') && token === undefined) throw new ValidationError(`Option ${opt('bearer-auth.credentials-source')} is 'STATIC_TOKEN', but ${opt('bearer-auth.token')} is not set`);
  if (userInfo !== undefined && token !== undefined) throw new ValidationError(`Options ${opt('basic-auth.credentials-source')} and ${opt('bearer-auth.credentials-source')} cannot both be set: the registry gets one Authorization header`);
  for (const k of ['ssl.keystore.location', 'ssl.truststore.location']) {
    if (o.str(k) !== undefined) throw new ValidationError(`Option '${format}.${k}' is not supported by tsstream: reach the registry over http or through a TLS-terminating proxy`);
  }
  // One client (and schema cache) per registry and credentials.
  const id = JSON.stringify([url, userInfo ?? null, token ?? null]);
  let client = clients.get(id);
  if (!client) {
    client = new SchemaRegistryClient(url, { userInfo, token });
    clients.set(id, client);
  }
  return { client, subject: o.str('subject'), schema: o.str('schema') };
}

const MAGIC = 0;

/** Confluent's wire-format prefix: the magic byte and the schema id. */
export function wirePrefix(id: number): Buffer {
  const p = Buffer.alloc(5);
  p.writeUInt8(MAGIC, 0);
  p.writeInt32BE(id, 1);
  return p;
}

export function header(data: Uint8Array | string, where: RecordLocation): { buf: Buffer; id: number } {
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 5 || buf[0] !== MAGIC) throw new ConnectorError(`Failed to deserialize Avro record at ${where()}: not Confluent's wire format (${buf.length < 5 ? `${buf.length} bytes` : `magic byte ${buf[0]}, expected 0`})`);
  return { buf, id: buf.readInt32BE(1) };
}

/** The table's reader schema named as the writer's top-level record (Avro resolves records by name). */
function readerFor(fields: Field[], writerType: avro.Type): avro.Type {
  const s = tableAvroSchema(fields);
  const name = (writerType as unknown as { name?: string }).name;
  return avroType(name ? { ...s, name, namespace: undefined } : s);
}

class AvroConfluentDecoder implements RowDecoder {
  private readonly client: SchemaRegistryClient;
  private readonly conv: Conv;
  /** Per writer schema id: the reader type and its resolver. */
  private readonly resolved = new Map<number, { type: avro.Type; resolver: avro.Resolver }>();
  constructor(private readonly fields: Field[], options: Record<string, string>) {
    this.client = registrySettings(options).client;
    this.conv = reader({ kind: 'ROW', fields, nullable: false });
  }

  prepare(data: Uint8Array | string, where: RecordLocation): Promise<void> | undefined {
    const { id } = header(data, where);
    if (this.resolved.has(id)) return undefined;
    return this.client.schemaById(id).then(
      (w) => {
      if (this.resolved.has(id)) return;
      const type = readerFor(this.fields, w);
      let resolver: avro.Resolver;
      try {
        resolver = type.createResolver(w);
      } catch (e) {
        throw new ConnectorError(`the writer schema id ${id} of the record at ${where()} cannot be read as the table's columns: ${(e as Error).message}`);
      }
      this.resolved.set(id, { type, resolver });
      },
      (e: Error) => {
        throw new ConnectorError(`cannot fetch the writer schema id ${id} of the record at ${where()}: ${e.message}`, { cause: e });
      },
    );
  }

  decode(data: Uint8Array | string, where: RecordLocation): Row {
    const { buf, id } = header(data, where);
    const r = this.resolved.get(id);
    if (!r) throw new ConnectorError(`Failed to deserialize Avro record at ${where()}: writer schema id ${id} was not fetched from the schema registry`);
    let obj: unknown;
    try {
      obj = r.type.fromBuffer(buf.subarray(5), r.resolver);
    } catch (e) {
      throw new ConnectorError(`Failed to deserialize Avro record at ${where()} (schema id ${id}): ${(e as Error).message}`);
    }
    return this.conv(obj) as Row;
  }
}

/**
 * What both registry formats' writers share: the writer schema (the 'FORMAT.schema' option, or
 * the one derived from the table), registered under the subject at open(), and the frame of a
 * datum in Confluent's wire format with the id the registry gave.
 */
export class RegisteredSchemaWriter {
  private readonly type: avro.Type;
  private readonly schema: object;
  private readonly client: SchemaRegistryClient;
  private readonly subject?: string;
  private prefix?: Buffer;
  /** The table's row as an Avro value of its columns. */
  readonly conv: Conv;
  constructor(fields: Field[], options: Record<string, string>, private readonly format: string, derived: (fields: Field[]) => object) {
    const s = registrySettings(options, format);
    this.client = s.client;
    this.subject = s.subject;
    if (s.schema !== undefined) {
      try {
        this.schema = JSON.parse(s.schema) as object;
        this.type = avroType(this.schema as Record<string, unknown>);
      } catch (e) {
        throw new ValidationError(`Invalid value for option '${format}.schema': not an Avro schema: ${(e as Error).message}`);
      }
    } else {
      this.schema = derived(fields);
      this.type = avroType(this.schema as Record<string, unknown>);
    }
    this.conv = writer({ kind: 'ROW', fields, nullable: false });
  }

  async open(): Promise<void> {
    if (this.prefix) return;
    if (!this.subject) throw new ValidationError(`Option '${this.format}.subject' is required to write the ${this.format} format here (the Kafka connector sets '<topic>-value' / '<topic>-key')`);
    this.prefix = wirePrefix(await this.client.register(this.subject, this.schema));
  }

  /** The Avro datum `value` framed with the registered schema's id. */
  frame(value: unknown): Uint8Array {
    if (!this.prefix) throw new ConnectorError(`${this.format}: the schema was not registered before writing (open() not called)`);
    return Buffer.concat([this.prefix, this.type.toBuffer(value)]);
  }
}

class AvroConfluentEncoder extends RegisteredSchemaWriter implements RowEncoder {
  constructor(fields: Field[], options: Record<string, string>) {
    super(fields, options, 'avro-confluent', tableAvroSchema);
  }

  encode(row: Row): Uint8Array {
    return this.frame(this.conv(row));
  }
}

export const avroConfluentFormat: FormatFactory = {
  identifier: 'avro-confluent',
  options: AVRO_CONFLUENT_OPTIONS,
  createDecoder: (fields, options) => new AvroConfluentDecoder(fields, options),
  createEncoder: (fields, options) => new AvroConfluentEncoder(fields, options),
};
