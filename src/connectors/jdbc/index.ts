// The 'jdbc' connector (Flink's option names) for PostgreSQL (pg) and MySQL/MariaDB (mysql2): a
// bounded scan source with partitioned reads, a keyed lookup source for FOR SYSTEM_TIME AS OF
// joins (batched queries, Flink's partial cache), and a sink that appends or, with a PRIMARY KEY,
// upserts and deletes by key, flushed at every checkpoint.
import type { ConnectorFactory, TableDescriptor } from '../../common/connector.js';
import { formatPath } from '../../common/connector.js';
import { ValidationError } from '../../common/errors.js';
import { formatType } from '../../common/types.js';
import { JdbcLookupSource } from './lookup.js';
import { JDBC_OPTIONS, readJdbcConfig } from './options.js';
import { JdbcSink } from './sink.js';
import { JdbcSource } from './source.js';
import { unsupportedColumn } from './values.js';

function validate(table: TableDescriptor): void {
  readJdbcConfig(table);
  const bad = unsupportedColumn(table.physical);
  if (bad) {
    throw new ValidationError(
      `jdbc table '${formatPath(table.path)}': column '${bad.name}' has type ${formatType(bad.type)}, which the jdbc connector does not map (BOOLEAN, TINYINT … BIGINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, BINARY, VARBINARY, BYTES, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ)`,
    );
  }
}

export const jdbcFactory: ConnectorFactory = {
  identifier: 'jdbc',
  description: 'PostgreSQL and MySQL/MariaDB tables: a bounded (optionally partitioned) scan, keyed lookups for lookup joins, and an append or upsert sink flushed at checkpoints',
  options: JDBC_OPTIONS,
  validate,
  createSource: (table, scan) => new JdbcSource(table, scan, readJdbcConfig(table)),
  createLookupSource: (table, request) => new JdbcLookupSource(table, request, readJdbcConfig(table)),
  createSink: (table) => new JdbcSink(table, readJdbcConfig(table)),
  isBounded: () => true,
  // Updates and deletes need the key to apply them by (Flink: "please declare primary key for sink table").
  sinkChangelogMode: (table) => (table.primaryKey?.length ? 'all' : 'append'),
};

export { JdbcSource, JdbcSink, JdbcLookupSource, JDBC_OPTIONS, readJdbcConfig };
