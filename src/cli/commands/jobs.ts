// `tsstream jobs list|cancel|stop|savepoint`: job control like `flink list`, `flink cancel`,
// `flink stop`, `flink savepoint`, through each job's token-protected endpoint on 127.0.0.1.
import type { Command } from 'commander';
import { JobRegistry, failureText, type JobRecord } from '../jobs/registry.js';
import { controlRequest, savepointUri, storageDir } from '../jobs/control.js';
import { renderTableau } from '../tableau.js';
import { formatTimestamp } from '../../common/time.js';
import type { LogicalType } from '../../common/types.js';
import type { FlinkJobInfo, JobManagerClient } from '../../remote/gateway.js';

/** A Flink cluster's REST client (its module loaded only by `--flink`). */
async function flinkClient(rest: string): Promise<JobManagerClient> {
  const { JobManagerClient: Client } = await import('../../remote/gateway.js');
  return new Client(rest);
}

const S: LogicalType = { kind: 'VARCHAR', length: 2147483647, nullable: true };
const N: LogicalType = { kind: 'BIGINT', nullable: true };

export function jobsTable(records: JobRecord[]): string {
  const columns = [
    { name: 'job id', type: S },
    { name: 'name', type: S },
    { name: 'status', type: S },
    { name: 'start time', type: S },
    { name: 'rows in', type: N },
    { name: 'rows out', type: N },
    { name: 'watermark', type: S },
    { name: 'last checkpoint', type: S },
    { name: 'dashboard', type: S },
  ];
  const rows = records.map((r) => [
    r.id,
    r.name,
    r.status,
    new Date(r.startTime).toISOString().replace('T', ' ').slice(0, 19),
    r.recordsIn,
    r.recordsOut,
    r.watermark === null ? '' : formatTimestamp(r.watermark, 3),
    r.lastCheckpointId === undefined ? '' : `#${r.lastCheckpointId} at ${new Date(r.lastCheckpointTime!).toISOString().slice(11, 19)}`,
    r.status === 'RUNNING' || r.status === 'CREATED' ? (r.dashboard ?? '') : '',
  ]);
  // Why a job failed, and where its log is, when one of them did.
  if (records.some((r) => r.failure)) {
    columns.push({ name: 'failure', type: S });
    records.forEach((r, i) => rows[i].push(r.failure ? failureText(r.failure, r.logFile) : ''));
  }
  return renderTableau(columns, rows);
}

/** The Flink cluster's jobs in the same table (Flink has no per-job row counts or watermark here). */
export function flinkJobsTable(jobs: FlinkJobInfo[]): string {
  return jobsTable(
    jobs.map((j) => ({ id: j.id, name: j.name, status: j.state, startTime: j.startTime, recordsIn: null, recordsOut: null, watermark: null }) as unknown as JobRecord),
  );
}

/** A job on a Flink cluster (--flink URL): the same sub-commands through the JobManager's REST API. */
async function withFlinkJob(rest: string, id: string, f: (jm: JobManagerClient, job: FlinkJobInfo) => Promise<void>): Promise<void> {
  const jm = await flinkClient(rest);
  let job: FlinkJobInfo;
  try {
    job = await jm.find(id);
  } catch (e) {
    process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    if (job.state !== 'RUNNING' && job.state !== 'CREATED' && job.state !== 'INITIALIZING') throw new Error(`Job ${job.id} is not running (status ${job.state})`);
    await f(jm, job);
  } catch (e) {
    process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

const FLINK_OPTION = ['--flink <url>', "a Flink cluster's JobManager REST API (e.g. http://host:8081) instead of this machine's jobs (or TSSTREAM_FLINK)"] as const;
const flinkUrl = (o: { flink?: string }) => o.flink ?? process.env.TSSTREAM_FLINK;

/** Runs `f` on a running job; an unknown id is a usage error (exit 2), a job that is not running a failure (1). */
async function withJob(id: string, f: (reg: JobRegistry, rec: JobRecord) => Promise<void>): Promise<void> {
  const reg = new JobRegistry();
  let rec: JobRecord;
  try {
    rec = await reg.find(id);
  } catch (e) {
    process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    if (rec.status !== 'RUNNING' && rec.status !== 'CREATED') throw new Error(`Job ${rec.id} is not running (status ${rec.status})`);
    await f(reg, rec);
  } catch (e) {
    process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** The list, cancel, savepoint and stop commands, under `tsstream jobs` and (like `flink list`) at the top. */
function addJobCommands(parent: Command): void {
  parent
    .command('list')
    .description('Jobs of this machine: running and failed ones (with why they failed); --all for finished and cancelled ones too')
    .option('-a, --all', 'include finished and cancelled jobs')
    .option(...FLINK_OPTION)
    .action(async (o: { all?: boolean; flink?: string }) => {
      const rest = flinkUrl(o);
      if (rest) {
        try {
          const jobs = (await (await flinkClient(rest)).list()).filter((j) => o.all || !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state));
          process.stdout.write(jobs.length ? flinkJobsTable(jobs) : 'No running jobs.\n');
        } catch (e) {
          process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
          process.exitCode = 1;
        }
        return;
      }
      const all = await new JobRegistry().list();
      const shown = o.all ? all : all.filter((r) => r.status === 'RUNNING' || r.status === 'CREATED' || r.status === 'FAILED');
      process.stdout.write(shown.length ? jobsTable(shown) : 'No running or failed jobs.\n');
    });
  parent
    .command('cancel')
    .description('Cancel a job (no savepoint)')
    .argument('<id>', 'job id or unique prefix')
    .option(...FLINK_OPTION)
    .action(async (id: string, o: { flink?: string }) =>
      flinkUrl(o) ? withFlinkJob(flinkUrl(o)!, id, async (jm, job) => {
        await jm.cancel(job.id);
        process.stdout.write(`Cancelled job ${job.id}.\n`);
      }) : withJob(id, async (reg, rec) => {
        await controlRequest(reg, rec, 'POST', 'cancel', {});
        process.stdout.write(`Cancelled job ${rec.id}.\n`);
      }),
    );
  parent
    .command('savepoint')
    .description('Trigger a savepoint; the job keeps running. Prints the savepoint path.')
    .argument('<id>', 'job id or unique prefix')
    .argument('[dir]', "target directory, a path or file:/… or s3://… (default: the job's state.savepoints.dir)")
    .option(...FLINK_OPTION)
    .action(async (id: string, dir: string | undefined, o: { flink?: string }) =>
      flinkUrl(o) ? withFlinkJob(flinkUrl(o)!, id, async (jm, job) => {
        process.stderr.write(`Triggering savepoint for job ${job.id}.\n`);
        process.stdout.write(`Savepoint completed. Path: ${await jm.savepoint(job.id, dir)}\n`);
      }) : withJob(id, async (reg, rec) => {
        process.stderr.write(`Triggering savepoint for job ${rec.id}.\n`);
        const r = await controlRequest(reg, rec, 'POST', 'savepoint', { dir: dir ? storageDir(dir) : undefined });
        process.stdout.write(`Savepoint completed. Path: ${savepointUri(String(r.path))}\n`);
      }),
    );
  parent
    .command('stop')
    .description('Stop a job with a savepoint (stop-with-savepoint)')
    .argument('<id>', 'job id or unique prefix')
    .option('-p, --savepoint-dir <dir>', "savepoint directory, a path or file:/… or s3://… (default: the job's state.savepoints.dir)")
    .option('-d, --drain', 'send the final watermark first (fires every open window)')
    .option(...FLINK_OPTION)
    .action(async (id: string, o: { savepointDir?: string; drain?: boolean; flink?: string }) =>
      flinkUrl(o) ? withFlinkJob(flinkUrl(o)!, id, async (jm, job) => {
        process.stderr.write(`Suspending job ${job.id}.\n`);
        process.stdout.write(`Savepoint completed. Path: ${await jm.stop(job.id, o.savepointDir, !!o.drain)}\n`);
      }) : withJob(id, async (reg, rec) => {
        process.stderr.write(`Suspending job ${rec.id}.\n`);
        const r = await controlRequest(reg, rec, 'POST', 'stop', { dir: o.savepointDir ? storageDir(o.savepointDir) : undefined, drain: !!o.drain });
        process.stdout.write(`Savepoint completed. Path: ${savepointUri(String(r.path))}\n`);
      }),
    );
}

export function register(program: Command): void {
  addJobCommands(program.command('jobs').description('List and control running jobs (like flink list/cancel/stop/savepoint)'));
  addJobCommands(program);
}
