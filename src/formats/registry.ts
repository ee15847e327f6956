// Every format tsstream ships, by identifier (`'format' = 'json'`).
import type { FormatFactory } from './api.js';
import { avroFormat } from './avro.js';
import { avroConfluentFormat } from './avro-confluent.js';
import { canalJsonFormat } from './canal.js';
import { csvFormat } from './csv.js';
import { debeziumJsonFormat } from './debezium.js';
import { debeziumAvroConfluentFormat } from './debezium-avro.js';
import { jsonFormat } from './json.js';
import { maxwellJsonFormat } from './maxwell.js';
import { rawFormat } from './raw.js';

const formats = new Map<string, FormatFactory>();

/** Adds a format (the built-in ones are registered on import). */
export function registerFormat(f: FormatFactory): void {
  formats.set(f.identifier, f);
}

registerFormat(jsonFormat);
registerFormat(rawFormat);
registerFormat(csvFormat);
registerFormat(avroFormat);
registerFormat(avroConfluentFormat);
registerFormat(debeziumJsonFormat);
registerFormat(debeziumAvroConfluentFormat);
registerFormat(canalJsonFormat);
registerFormat(maxwellJsonFormat);

export function getFormat(identifier: string): FormatFactory | undefined {
  return formats.get(identifier);
}

export function formatIds(): string[] {
  return [...formats.keys()].sort();
}
