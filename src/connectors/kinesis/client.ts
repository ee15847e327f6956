// The AWS SDK Kinesis client of a table: HTTP/1.1 (NodeHttpHandler), since local implementations
// (kinesalite, moto) do not speak HTTP/2 and the polling API does not need it.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { credentialsProvider } from './credentials.js';
import type { KinesisConfig } from './options.js';

export function kinesisClient(cfg: KinesisConfig): KinesisClient {
  return new KinesisClient({
    region: cfg.region,
    endpoint: cfg.endpoint,
    credentials: credentialsProvider(cfg.credentials, cfg.region),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000, throwOnRequestTimeout: true }),
    maxAttempts: 3,
  });
}
