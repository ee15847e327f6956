// AWS Signature Version 4 for REST catalogs behind AWS authentication (the Glue Iceberg REST
// endpoint, S3 Tables, API Gateway), as Iceberg's RESTSigV4Signer does it: with
// `rest.sigv4-enabled` = 'true' every catalog request (the OAuth2 token request too) is signed
// for `rest.signing-name` (default 'execute-api') in `rest.signing-region` (default
// client.region / AWS_REGION), with the body's SHA-256 in x-amz-content-sha256; a bearer token
// the request already carries moves to Original-Authorization. Credentials come from
// rest.access-key-id / rest.secret-access-key / rest.session-token, else client.*, else the AWS
// default chain (environment, shared config files, SSO, container and instance roles). They
// never appear in messages.
import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ConnectorError } from '../../common/errors.js';
import { lazyRequire } from '../../common/lazy-require.js';

// Loaded when a catalog signs its first request (the SDK costs ~0.2 s of start-up otherwise).
const sha256 = lazyRequire<typeof import('@aws-crypto/sha256-js')>('@aws-crypto/sha256-js');
const glue = lazyRequire<typeof import('@aws-sdk/client-glue')>('@aws-sdk/client-glue');
const signatureV4 = lazyRequire<typeof import('@smithy/signature-v4')>('@smithy/signature-v4');

export function sigv4Enabled(options: Record<string, string>): boolean {
  return (options['rest.sigv4-enabled'] ?? '').trim().toLowerCase() === 'true';
}

function credentialProvider(options: Record<string, string>, region: string): AwsCredentialIdentityProvider {
  const id = options['rest.access-key-id'] ?? options['client.access-key-id'];
  const secret = options['rest.secret-access-key'] ?? options['client.secret-access-key'];
  const token = options['rest.session-token'] ?? options['client.session-token'];
  if (id && secret) {
    const creds: AwsCredentialIdentity = { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
    return async () => creds;
  }
  // The default chain, as an AWS SDK client resolves it (env, ~/.aws, SSO, web identity, ECS, IMDS).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new (glue().GlueClient)({ region });
  return async () => {
    try {
      return await client.config.credentials();
    } catch (e) {
      throw new ConnectorError(
        `REST catalog SigV4 signing: no AWS credentials found (${(e as Error).message}); give 'rest.access-key-id' and 'rest.secret-access-key', or set up the AWS default credential chain`,
      );
    }
  };
}

export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export class RestSigner {
  private readonly signer: SignatureV4;
  readonly service: string;
  readonly region: string;

  constructor(options: Record<string, string>) {
    this.service = options['rest.signing-name'] ?? 'execute-api';
    this.region = options['rest.signing-region'] ?? options['client.region'] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.signer = new (signatureV4().SignatureV4)({ service: this.service, region: this.region, sha256: sha256().Sha256, credentials: credentialProvider(options, this.region) });
  }

  toString(): string {
    return `RestSigner(${this.service}, ${this.region})`;
  }

  /** The headers to send: the request's own, plus the signature (Authorization, X-Amz-Date, …). */
  async sign(req: SignableRequest): Promise<Record<string, string>> {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
    if (headers.authorization) {
      // SigV4 takes the Authorization header: a bearer token travels beside it.
      headers['original-authorization'] = headers.authorization;
      delete headers.authorization;
    }
    headers.host = url.host;
    const hash = new (sha256().Sha256)();
    hash.update(req.body ?? '');
    headers['x-amz-content-sha256'] = Buffer.from(await hash.digest()).toString('hex');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const signed = await this.signer.sign({
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: req.body,
    });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') out[k] = v;
    return out;
  }
}
