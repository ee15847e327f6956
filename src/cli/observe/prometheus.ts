// Flink's Prometheus reporter for the jobs of this process: `/metrics` in Prometheus' text format,
// with Flink's metric names and labels (flink_<scope>_<name>, scope variables as labels), so that
// dashboards and alerts written for Flink work. Values are read from the jobs' own counters at
// scrape time (Flink's counters and meters are exported as gauges too).
import http from 'node:http';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HOST, TM_ID, monitors, type JobView, type OperatorView } from './monitor.js';
import { listenOnPorts } from './ports.js';

export const PROM_FACTORY = 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory';

type Labels = Record<string, string>;
const ENDED = new Set(['FINISHED', 'CANCELED', 'STOPPED']);
type Sample = [Labels, number];

const JOB_LABELS = ['job_id', 'job_name', 'host'];
const TASK_LABELS = ['job_id', 'job_name', 'host', 'tm_id', 'task_id', 'task_name', 'task_attempt_num', 'subtask_index'];
const OP_LABELS = [...TASK_LABELS, 'operator_id', 'operator_name'];

function jobLabels(v: JobView): Labels {
  return { job_id: v.id, job_name: v.name, host: HOST };
}

function taskLabels(v: JobView): Labels {
  // tsstream runs a job as one chained task: Flink would name it after the chain.
  const chain = [...v.operators].reverse().map((o) => o.name).join(' -> ');
  return { ...jobLabels(v), tm_id: TM_ID, task_id: v.id, task_name: chain, task_attempt_num: String(v.restarts), subtask_index: '0' };
}

function opLabels(v: JobView, o: OperatorView): Labels {
  return { ...taskLabels(v), operator_id: o.id, operator_name: o.name };
}

/** A registry with every tsstream job metric, read from the monitors when scraped. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  let views: JobView[] = [];
  let viewsAt = 0;
  // One scrape reads every job once, however many gauges it fills.
  const current = () => {
    const now = Date.now();
    if (now - viewsAt > 100) {
      // As in Flink, a job's metrics go when it has ended (a failed one may still restart).
      views = [...monitors.values()].filter((m) => !ENDED.has(m.job.status)).map((m) => m.view(now));
      viewsAt = now;
    }
    return views;
  };
  const gauge = (name: string, help: string, labelNames: string[], samples: () => Sample[]) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [l, value] of samples()) this.set(l, value);
      },
    });
  const perJob = (name: string, help: string, f: (v: JobView) => number | undefined) =>
    gauge(`flink_jobmanager_job_${name}`, help, JOB_LABELS, () => current().flatMap((v) => (f(v) === undefined ? [] : [[jobLabels(v), f(v)!] as Sample])));
  const perTask = (name: string, help: string, f: (v: JobView) => number) =>
    gauge(`flink_taskmanager_job_task_${name}`, help, TASK_LABELS, () => current().map((v) => [taskLabels(v), f(v)] as Sample));
  const perOp = (name: string, help: string, f: (o: OperatorView) => number | null | undefined) =>
    gauge(`flink_taskmanager_job_task_operator_${name}`, help, OP_LABELS, () =>
      current().flatMap((v) => v.operators.flatMap((o) => {
        const x = f(o);
        return x === null || x === undefined ? [] : [[opLabels(v, o), x] as Sample];
      })),
    );
  const last = (v: JobView) => v.checkpoints.history.at(-1);

  perJob('uptime', 'Milliseconds the job has been running', (v) => (v.status === 'RUNNING' ? Date.now() - v.startTime : 0));
  perJob('numRestarts', 'How often the job restarted after a failure', (v) => v.restarts);
  perJob('numberOfCompletedCheckpoints', 'Completed checkpoints', (v) => v.checkpoints.completed);
  perJob('numberOfFailedCheckpoints', 'Failed checkpoints', (v) => v.checkpoints.failed);
  perJob('numberOfInProgressCheckpoints', 'Checkpoints in progress', () => 0);
  perJob('totalNumberOfCheckpoints', 'Checkpoints triggered', (v) => v.checkpoints.completed + v.checkpoints.failed);
  perJob('lastCheckpointDuration', 'Milliseconds the last checkpoint took', (v) => last(v)?.durationMs);
  perJob('lastCheckpointSize', 'Bytes of the last checkpoint (operator state and positions)', (v) => last(v)?.sizeBytes);
  perJob('lastCheckpointFullSize', 'Bytes of the last checkpoint (full, not incremental)', (v) => last(v)?.sizeBytes);
  perJob('lastCompletedCheckpointId', 'Id of the last completed checkpoint', (v) => last(v)?.id);
  perJob('lastCheckpointCompletedTimestamp', 'Epoch millis when the last checkpoint completed', (v) => {
    const c = last(v);
    return c ? c.triggerTime + c.durationMs : undefined;
  });

  perTask('busyTimeMsPerSecond', 'Milliseconds per second spent processing', (v) => v.busyTimeMsPerSecond);
  perTask('idleTimeMsPerSecond', 'Milliseconds per second spent waiting for input', (v) => v.idleTimeMsPerSecond);
  perTask('backPressuredTimeMsPerSecond', 'Milliseconds per second spent waiting for sinks', (v) => v.backPressuredTimeMsPerSecond);
  perTask('numBytesIn', 'Bytes read by the sources', (v) => v.operators.reduce((n, o) => n + o.numBytesIn, 0));
  perTask('numBytesInPerSecond', 'Bytes read by the sources per second', (v) => v.operators.reduce((n, o) => n + o.numBytesInPerSecond, 0));

  perOp('numRecordsIn', 'Records the operator received', (o) => o.numRecordsIn);
  perOp('numRecordsOut', 'Records the operator emitted', (o) => (o.kind === 'Sink' ? o.numRecordsIn : o.numRecordsOut));
  perOp('numRecordsInPerSecond', 'Records received per second', (o) => o.numRecordsInPerSecond);
  perOp('numRecordsOutPerSecond', 'Records emitted per second', (o) => (o.kind === 'Sink' ? o.numRecordsInPerSecond : o.numRecordsOutPerSecond));
  perOp('numBytesIn', 'Bytes the source read', (o) => (o.kind === 'Source' ? o.numBytesIn : undefined));
  perOp('numBytesInPerSecond', 'Bytes the source read per second', (o) => (o.kind === 'Source' ? o.numBytesInPerSecond : undefined));
  perOp('numLateRecordsDropped', 'Records dropped for arriving behind the watermark', (o) => (o.kind === 'Source' || o.kind === 'Sink' ? undefined : o.numLateRecordsDropped));
  perOp('numRecordsInErrors', 'Malformed records the source skipped', (o) => (o.kind === 'Source' ? o.numRecordsInErrors : undefined));
  perOp('currentInputWatermark', 'Lowest watermark of the inputs (epoch millis)', (o) => o.currentInputWatermark);
  perOp('currentOutputWatermark', 'Last watermark emitted (epoch millis)', (o) => o.currentOutputWatermark);
  perOp('pendingRecords', 'Records the source has not read yet (sum of its partitions lag)', (o) =>
    o.splits.some((s) => s.lag !== undefined) ? o.splits.reduce((n, s) => n + (s.lag ?? 0), 0) : undefined,
  );
  perOp('KafkaSourceReader_KafkaConsumer_records_lag_max', 'Largest lag over the partitions', (o) =>
    o.splits.some((s) => s.lag !== undefined) ? Math.max(...o.splits.map((s) => s.lag ?? 0)) : undefined,
  );
  const perSplit = (name: string, help: string, f: (s: OperatorView['splits'][number]) => number | undefined) =>
    gauge(`flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_${name}`, help, [...OP_LABELS, 'topic', 'partition'], () =>
      current().flatMap((v) =>
        v.operators.flatMap((o) =>
          o.splits.flatMap((s) => {
            const x = f(s);
            return x === undefined || s.labels.topic === undefined ? [] : [[{ ...opLabels(v, o), topic: s.labels.topic, partition: s.labels.partition ?? '' }, x] as Sample];
          }),
        ),
      ),
    );
  // Flink's Kinesis consumer: group KinesisConsumer.stream.<name>.shardId.<id>, gauge millisBehindLatest.
  gauge('flink_taskmanager_job_task_operator_KinesisConsumer_stream_shardId_millisBehindLatest', 'Milliseconds the last GetRecords of the shard was behind its tip', [...OP_LABELS, 'stream', 'shardId'], () =>
    current().flatMap((v) =>
      v.operators.flatMap((o) => (o.millisBehindLatest ?? []).map((s) => [{ ...opLabels(v, o), stream: s.labels.stream ?? '', shardId: s.labels.shardId ?? s.split }, s.millis] as Sample)),
    ),
  );
  perSplit('currentOffset', 'Next offset the source reads from the partition', (s) => s.currentOffset);
  perSplit('committedOffset', 'Offset committed to the consumer group at the last checkpoint', (s) => s.committedOffset);
  perSplit('records_lag', 'Records between the source position and the end of the partition', (s) => s.lag);

  gauge('flink_taskmanager_Status_JVM_Memory_Heap_Used', 'JS heap in use (bytes)', ['host', 'tm_id'], () => [[{ host: HOST, tm_id: TM_ID }, process.memoryUsage().heapUsed]]);
  gauge('flink_taskmanager_Status_JVM_Memory_Heap_Committed', 'JS heap allocated (bytes)', ['host', 'tm_id'], () => [[{ host: HOST, tm_id: TM_ID }, process.memoryUsage().heapTotal]]);
  // Node's own: heap spaces, event-loop delay (nodejs_eventloop_lag_*), GC, CPU, open handles.
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface MetricsServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

let started: Promise<MetricsServer> | undefined;

/**
 * Starts this process's reporter when the session asks for it (`metrics.reporter.prom.factory.class`),
 * once: later jobs of the process are reported by the same endpoint.
 */
export function startPrometheusReporter(config: ReadonlyMap<string, string>): Promise<MetricsServer> | undefined {
  // As in Flink, the reporter exists when its factory is named; the port alone does nothing.
  if (config.get('metrics.reporter.prom.factory.class')?.trim() !== PROM_FACTORY) return undefined;
  if (started) return started;
  const registry = createMetricsRegistry();
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || !(req.url === '/metrics' || req.url?.startsWith('/metrics?') || req.url === '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Only /metrics is served here.\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (e: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${e.message}\n`);
      },
    );
  });
  const host = config.get('metrics.reporter.prom.host') ?? '127.0.0.1';
  started = listenOnPorts(server, host, config.get('metrics.reporter.prom.port') ?? '9249', 'metrics.reporter.prom.port').then((port) => {
    server.unref();
    return { port, host, close: () => new Promise<void>((r) => server.close(() => r())) };
  });
  started.catch(() => (started = undefined));
  return started;
}
