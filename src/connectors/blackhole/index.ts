// The 'blackhole' connector, as Flink's: a sink that discards every row (for benchmarks and
// for checking a job without output). It counts rows in the 'blackhole-rows' metric.
import type { ConnectorFactory, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { validateOptions, type OptionSpec } from '../../common/options.js';
import type { Row } from '../../common/types.js';
import { withoutConnector } from '../filesystem/options.js';

export const BLACKHOLE_OPTIONS: readonly OptionSpec[] = [];

export class BlackholeSink implements DynamicSink {
  readonly transactional = false;
  /** Rows received (for tests and benchmarks). */
  rows = 0;
  private ctx: RuntimeContext | undefined;

  async open(ctx: RuntimeContext): Promise<void> {
    this.ctx = ctx;
  }

  async write(rows: Row[]): Promise<void> {
    this.rows += rows.length;
    this.ctx?.metric('blackhole-rows', rows.length);
  }

  async prepareCommit(_checkpointId?: number): Promise<null> {
    return null;
  }

  async commit(): Promise<void> {}

  async close(): Promise<void> {}
}

export const blackholeFactory: ConnectorFactory = {
  identifier: 'blackhole',
  sinkChangelogMode: 'all',
  description: 'Discards every row',
  options: BLACKHOLE_OPTIONS,
  createSink(table: TableDescriptor): DynamicSink {
    validateOptions(`connector 'blackhole' (table ${table.path.table})`, withoutConnector(table.options), BLACKHOLE_OPTIONS);
    return new BlackholeSink();
  },
};
