// Peer 'moto': moto's server mode (PyPI moto[server]) — S3 with common prefixes and conditional
// writes, Glue, Kinesis and STS on one port of 127.0.0.1. Tests make their own buckets/streams.
//   const s3 = peer<MotoEndpoint>('moto'); s3Options(s3) → tsstream's 's3.*' options
import type { Peer, RunningPeer } from './peer.js';
import { freePort, httpAnswers, startServerProcess } from './process.js';
import { ensureVenv, pythonUnavailable, venvBin } from './python.js';

export type MotoEndpoint = {
  s3Endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export const motoPeer: Peer<MotoEndpoint> = {
  name: 'moto',
  unavailable: pythonUnavailable,
  install: ensureVenv,
  async start(log): Promise<RunningPeer<MotoEndpoint>> {
    await ensureVenv(log);
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    // `python -m moto.server` rather than the moto_server script: a venv that was moved (or reached
    // through a symlink) keeps working, while its scripts' #! lines name the old place.
    const proc = await startServerProcess('moto_server', venvBin('python'), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      ready: () => httpAnswers(`${endpoint}/moto-api/`),
      log,
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    return {
      endpoint: { s3Endpoint: endpoint, region: 'us-east-1', accessKeyId: 'testing', secretAccessKey: 'testing' },
      stop: proc.stop,
    };
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
