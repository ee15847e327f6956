// The credentials providers of Flink's AWS connectors (AWSConfigConstants / AWSGeneralUtil), read
// from a table's options at planning (missing or contradictory options are refused there) and
// turned into an AWS SDK credentials provider when the client is made. Values are never printed:
// messages name the option, not its value.
//
//   AUTO                the SDK's default chain (environment, shared files, web identity, IMDS)
//   BASIC               <prefix>.basic.accesskeyid / .secretkey
//   ENV_VAR             AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//   PROFILE             <prefix>.profile.name (default 'default'), <prefix>.profile.path (the
//                       shared credentials file; default ~/.aws/credentials)
//   ASSUME_ROLE         STS AssumeRole of <prefix>.role.arn as <prefix>.role.sessionName (with
//                       <prefix>.role.externalId), signed with the credentials of the provider
//                       <prefix>.role.provider (whose own options are under <prefix>.role.provider.*)
//   WEB_IDENTITY_TOKEN  STS AssumeRoleWithWebIdentity with the token in
//                       <prefix>.webIdentityToken.file (or AWS_WEB_IDENTITY_TOKEN_FILE), role
//                       <prefix>.role.arn (or AWS_ROLE_ARN), session <prefix>.role.sessionName
//
// <prefix>.role.stsEndpoint (Flink's option of ASSUME_ROLE) also serves WEB_IDENTITY_TOKEN here:
// the STS endpoint (a VPC endpoint, or a local STS in tests).
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ValidationError } from '../../common/errors.js';
import type { OptionSpec } from '../../common/options.js';

export const CREDENTIAL_PROVIDERS = ['AUTO', 'BASIC', 'ENV_VAR', 'PROFILE', 'ASSUME_ROLE', 'WEB_IDENTITY_TOKEN'] as const;
export type CredentialProviderName = (typeof CREDENTIAL_PROVIDERS)[number];

export type CredentialsSpec =
  | { kind: 'AUTO' }
  | { kind: 'STATIC'; credentials: AwsCredentialIdentity }
  | { kind: 'PROFILE'; profile: string; path?: string }
  | { kind: 'ASSUME_ROLE'; roleArn: string; sessionName: string; externalId?: string; stsEndpoint?: string; source: CredentialsSpec }
  | { kind: 'WEB_IDENTITY_TOKEN'; tokenFile?: string; roleArn?: string; sessionName?: string; stsEndpoint?: string };

const ROOT = 'aws.credentials';

function providerSpecs(prefix: string, nested: boolean): OptionSpec[] {
  const out: OptionSpec[] = [
    { key: `${prefix}.basic.accesskeyid`, type: 'string', secret: true, description: 'Access key id for the BASIC provider' },
    { key: `${prefix}.basic.secretkey`, type: 'string', secret: true, description: 'Secret access key for the BASIC provider' },
    { key: `${prefix}.profile.name`, type: 'string', description: "Profile of the PROFILE provider (default 'default', or AWS_PROFILE)" },
    { key: `${prefix}.profile.path`, type: 'string', description: 'Shared credentials file of the PROFILE provider (default ~/.aws/credentials)' },
  ];
  if (nested) return out;
  return [
    ...out,
    { key: `${prefix}.role.arn`, type: 'string', description: 'Role to assume (ASSUME_ROLE; WEB_IDENTITY_TOKEN, else AWS_ROLE_ARN)' },
    { key: `${prefix}.role.sessionName`, type: 'string', description: 'Session name of the assumed role (required with ASSUME_ROLE)' },
    { key: `${prefix}.role.externalId`, type: 'string', secret: true, description: 'External id passed to STS AssumeRole' },
    { key: `${prefix}.role.stsEndpoint`, type: 'string', description: 'STS endpoint URL for ASSUME_ROLE and WEB_IDENTITY_TOKEN (default: the regional STS)' },
    { key: `${prefix}.role.provider`, type: 'enum', values: ['AUTO', 'BASIC', 'ENV_VAR', 'PROFILE'], default: 'AUTO', description: 'Provider of the credentials that call STS AssumeRole (its options under aws.credentials.role.provider.*)' },
    { key: `${prefix}.webIdentityToken.file`, type: 'string', description: 'File holding the OIDC token for WEB_IDENTITY_TOKEN (else AWS_WEB_IDENTITY_TOKEN_FILE)' },
  ];
}

/** Every credentials option of the Kinesis connector (after 'aws.credentials.provider'). */
export const CREDENTIAL_OPTIONS: readonly OptionSpec[] = [...providerSpecs(ROOT, false), ...providerSpecs(`${ROOT}.role.provider`, true)];

/** Reads the provider named by `<prefix>.provider` (or `<prefix>.role.provider` for the nested one). */
export function readCredentials(what: string, o: Record<string, string>, region: string, typeKey = `${ROOT}.provider`, prefix = ROOT): CredentialsSpec {
  const kind = (o[typeKey]?.trim().toUpperCase() || 'AUTO') as CredentialProviderName;
  const has = (k: string) => !!o[`${prefix}.${k}`]?.trim();
  const val = (k: string) => o[`${prefix}.${k}`]?.trim() || undefined;
  const refuseOthers = (allowed: string[], why: string) => {
    for (const k of ['basic.accesskeyid', 'basic.secretkey', 'profile.name', 'profile.path', 'role.arn', 'role.sessionName', 'role.externalId', 'role.stsEndpoint', 'webIdentityToken.file']) {
      if (prefix !== ROOT && k.startsWith('role.')) continue;
      if (!allowed.includes(k) && has(k)) throw new ValidationError(`${what}: option '${prefix}.${k}' does not apply to ${typeKey} = '${kind}' (${why})`);
    }
  };
  const checkUrl = (k: string) => {
    const v = val(k);
    if (v && !/^https?:\/\//.test(v)) throw new ValidationError(`${what}: '${prefix}.${k}' must be an http:// or https:// URL`);
    return v;
  };
  switch (kind) {
    case 'AUTO':
      refuseOthers([], 'the SDK default chain takes no options');
      return { kind: 'AUTO' };
    case 'BASIC': {
      refuseOthers(['basic.accesskeyid', 'basic.secretkey'], 'BASIC takes the basic.* options');
      const id = val('basic.accesskeyid');
      const secret = val('basic.secretkey');
      if (!id || !secret) throw new ValidationError(`${what}: '${prefix}.basic.accesskeyid' and '${prefix}.basic.secretkey' are required with ${typeKey} BASIC`);
      return { kind: 'STATIC', credentials: { accessKeyId: id, secretAccessKey: secret } };
    }
    case 'ENV_VAR': {
      refuseOthers([], 'ENV_VAR reads the environment');
      const id = process.env['AWS_ACCESS_KEY_ID'];
      const secret = process.env['AWS_SECRET_ACCESS_KEY'];
      if (!id || !secret) throw new ValidationError(`${what}: ${typeKey} ENV_VAR needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment`);
      return { kind: 'STATIC', credentials: { accessKeyId: id, secretAccessKey: secret, sessionToken: process.env['AWS_SESSION_TOKEN'] || undefined } };
    }
    case 'PROFILE':
      refuseOthers(['profile.name', 'profile.path'], 'PROFILE takes the profile.* options');
      return { kind: 'PROFILE', profile: val('profile.name') ?? process.env['AWS_PROFILE'] ?? 'default', path: val('profile.path') };
    case 'ASSUME_ROLE': {
      refuseOthers(['role.arn', 'role.sessionName', 'role.externalId', 'role.stsEndpoint', 'basic.accesskeyid', 'basic.secretkey', 'profile.name', 'profile.path'], 'see aws.credentials.role.provider.*');
      // The options of the nested provider are under role.provider.*, not directly under the prefix.
      for (const k of ['basic.accesskeyid', 'basic.secretkey', 'profile.name', 'profile.path']) {
        if (has(k)) throw new ValidationError(`${what}: with ${typeKey} ASSUME_ROLE, the credentials that call STS are given as '${prefix}.role.provider.${k}', not '${prefix}.${k}'`);
      }
      const roleArn = val('role.arn');
      const sessionName = val('role.sessionName');
      if (!roleArn || !sessionName) throw new ValidationError(`${what}: '${prefix}.role.arn' and '${prefix}.role.sessionName' are required with ${typeKey} ASSUME_ROLE`);
      checkRoleArn(what, `${prefix}.role.arn`, roleArn);
      const source = readCredentials(what, o, region, `${prefix}.role.provider`, `${prefix}.role.provider`);
      return { kind: 'ASSUME_ROLE', roleArn, sessionName, externalId: val('role.externalId'), stsEndpoint: checkUrl('role.stsEndpoint'), source };
    }
    case 'WEB_IDENTITY_TOKEN': {
      refuseOthers(['role.arn', 'role.sessionName', 'role.stsEndpoint', 'webIdentityToken.file'], 'WEB_IDENTITY_TOKEN takes role.arn, role.sessionName and webIdentityToken.file');
      const tokenFile = val('webIdentityToken.file');
      const roleArn = val('role.arn');
      if (!tokenFile && !process.env['AWS_WEB_IDENTITY_TOKEN_FILE']) throw new ValidationError(`${what}: ${typeKey} WEB_IDENTITY_TOKEN needs '${prefix}.webIdentityToken.file' (or AWS_WEB_IDENTITY_TOKEN_FILE in the environment)`);
      if (!roleArn && !process.env['AWS_ROLE_ARN']) throw new ValidationError(`${what}: ${typeKey} WEB_IDENTITY_TOKEN needs '${prefix}.role.arn' (or AWS_ROLE_ARN in the environment)`);
      if (roleArn) checkRoleArn(what, `${prefix}.role.arn`, roleArn);
      return { kind: 'WEB_IDENTITY_TOKEN', tokenFile, roleArn, sessionName: val('role.sessionName'), stsEndpoint: checkUrl('role.stsEndpoint') };
    }
    default:
      throw new ValidationError(`${what}: unsupported ${typeKey} '${o[typeKey]}': expected one of ${CREDENTIAL_PROVIDERS.join(', ')}`);
  }
}

function checkRoleArn(what: string, key: string, arn: string): void {
  if (!/^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) throw new ValidationError(`${what}: invalid '${key}': expected 'arn:aws:iam::<account>:role/<name>'`);
}

function stsClient(region: string, endpoint: string | undefined, credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider): STSClient {
  return new STSClient({ region, endpoint, credentials, requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }), maxAttempts: 3 });
}

/** Caches STS credentials until 5 minutes before they expire. */
function refreshing(fetch: () => Promise<AwsCredentialIdentity>): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const stale = (c: AwsCredentialIdentity) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < 5 * 60_000;
    if (current) {
      return current.then(
        (c) => (stale(c) ? (current = fetch()) : c),
        () => (current = fetch()),
      );
    }
    return (current = fetch());
  };
}

const fromSts = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined, what: string): AwsCredentialIdentity => {
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS ${what} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
};

/** The SDK credentials of a spec; undefined: the SDK's default chain. */
export function credentialsProvider(spec: CredentialsSpec, region: string): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  switch (spec.kind) {
    case 'AUTO':
      return undefined;
    case 'STATIC':
      return spec.credentials;
    case 'PROFILE':
      return fromIni({ profile: spec.profile, filepath: spec.path, ignoreCache: true });
    case 'ASSUME_ROLE': {
      const sts = stsClient(region, spec.stsEndpoint, credentialsProvider(spec.source, region));
      return refreshing(async () => {
        const res = await sts.send(new AssumeRoleCommand({ RoleArn: spec.roleArn, RoleSessionName: spec.sessionName, ExternalId: spec.externalId }));
        return fromSts(res.Credentials, 'AssumeRole');
      });
    }
    case 'WEB_IDENTITY_TOKEN': {
      // The SDK's provider reads the token file (again at every refresh) and builds the request;
      // the call itself goes to the configured STS endpoint when there is one.
      const sts = spec.stsEndpoint ? stsClient(region, spec.stsEndpoint, { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' }) : undefined;
      const provider = fromTokenFile({
        webIdentityTokenFile: spec.tokenFile,
        roleArn: spec.roleArn,
        roleSessionName: spec.sessionName,
        clientConfig: { region },
        roleAssumerWithWebIdentity: sts ? async (params) => fromSts((await sts.send(new AssumeRoleWithWebIdentityCommand(params))).Credentials, 'AssumeRoleWithWebIdentity') : undefined,
      });
      return refreshing(() => provider());
    }
  }
}
