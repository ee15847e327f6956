// Peer 'moto': moto's server mode (PyPI moto[server]) — S3 with common prefixes and conditional
// writes, Glue, Kinesis and STS on one port of 127.0.0.1. Tests make their own buckets/streams.
//   const s3 = peer<MotoEndpoint>('moto'); s3Options(s3) → tsstream's 's3.*' options
//   startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '0' }) → a private moto with other settings (here: IAM
//       authentication and policies enforced on every request), for one test file; stop() it.
import type { Peer, RunningPeer } from './peer.js';
import { httpAnswers, onFreePorts, startServerProcess } from './process.js';
import { ensureVenv, pythonUnavailable, runVenvScript, venvBin } from './python.js';

export type MotoEndpoint = {
  s3Endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export interface MotoServer extends MotoEndpoint {
  stop(): Promise<void>;
}

/** Starts a moto server of its own, with these extra environment variables (moto's settings). */
export async function startMoto(env: Record<string, string> = {}, log: (line: string) => void = () => {}): Promise<MotoServer> {
  await ensureVenv(log);
  // The port is bound only once Python has loaded moto: when another process took it meanwhile
  // ("[Errno 98] Address already in use"), the server is started again on another one.
  return onFreePorts(
    1,
    async ([port]) => {
      const endpoint = `http://127.0.0.1:${port}`;
      // `python -m moto.server` rather than the moto_server script: a venv that was moved (or reached
      // through a symlink) keeps working, while its scripts' #! lines name the old place.
      const proc = await startServerProcess('moto_server', venvBin('python'), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
        ready: () => httpAnswers(`${endpoint}/moto-api/`),
        log,
        env: { ...process.env, PYTHONUNBUFFERED: '1', ...env },
      });
      return { s3Endpoint: endpoint, region: 'us-east-1', accessKeyId: 'testing', secretAccessKey: 'testing', stop: proc.stop };
    },
    log,
  );
}

export const motoPeer: Peer<MotoEndpoint> = {
  name: 'moto',
  unavailable: pythonUnavailable,
  install: ensureVenv,
  async start(log): Promise<RunningPeer<MotoEndpoint>> {
    const { stop, ...endpoint } = await startMoto({}, log);
    return { endpoint, stop };
  },
};

/** tsstream's (and Iceberg's S3FileIO's) option names for this endpoint. */
export function s3Options(e: MotoEndpoint): Record<string, string> {
  return {
    's3.endpoint': e.s3Endpoint,
    's3.path-style-access': 'true',
    's3.access-key-id': e.accessKeyId,
    's3.secret-access-key': e.secretAccessKey,
    'client.region': e.region,
  };
}

/** How many requests moto lets through unauthenticated from now on ('inf': all, '0': none, so
 *  every request needs a known access key, a valid signature and an IAM policy that allows it). */
export async function motoAuthWindow(e: MotoEndpoint, count: number): Promise<void> {
  const r = await fetch(`${e.s3Endpoint}/moto-api/reset-auth`, { method: 'POST', body: String(count === Infinity ? 'inf' : count) });
  if (!r.ok) throw new Error(`moto reset-auth answered ${r.status}: ${await r.text()}`);
}

export interface MotoIamRequest {
  buckets?: string[];
  /** IAM users to create, each with an access key and an optional inline policy document. */
  users?: { name: string; policy?: unknown }[];
}

/** Creates buckets and IAM users (with boto3, test/peers/python/moto_iam.py) while moto
 *  authenticates nothing, then lets moto enforce IAM on every request. Answers each user's key. */
export async function motoIamSetup(e: MotoEndpoint, req: MotoIamRequest): Promise<Record<string, { accessKeyId: string; secretAccessKey: string }>> {
  await motoAuthWindow(e, Infinity);
  try {
    const out = (await runVenvScript(venvBin('python'), 'moto_iam.py', { endpoint: e.s3Endpoint, region: e.region, ...req })) as {
      users: Record<string, { accessKeyId: string; secretAccessKey: string }>;
    };
    return out.users;
  } finally {
    await motoAuthWindow(e, 0);
  }
}
