// Messages say what happens: S3 keys set for s3:// checkpoints are used, not "unused".
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';

describe('SET of the s3.* keys', () => {
  const keys: [string, string][] = [
    ['s3.endpoint', 'http://127.0.0.1:9000'],
    ['s3.path-style-access', 'true'],
    ['s3.access-key-id', 'minio'],
    ['s3.secret-access-key', 'minio123'],
    ['s3.session-token', 'token'],
    ['s3.region', 'eu-west-1'],
    ['s3.max-attempts', '3'],
    ['client.region', 'eu-west-1'],
  ];
  for (const [key, value] of keys) {
    it(`'${key}' is known: it configures s3:// checkpoints, savepoints and files, with no "does not use it" warning`, async () => {
      const session = new Session({ log: () => {} });
      const [r] = await session.executeAll(`SET '${key}' = '${value}';`);
      expect(r.kind).toBe('ok');
      const warnings = (r as { warnings?: string[] }).warnings ?? [];
      expect(warnings.join('\n')).not.toMatch(/does not use it|Unknown configuration key/);
    });
  }

  it('SET; lists them, the secret masked', async () => {
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`SET 's3.secret-access-key' = 'minio123'; SET;`);
    const t = res[res.length - 1];
    if (t.kind !== 'table') throw new Error('expected a table');
    const row = t.rows.find((r) => r[0] === 's3.secret-access-key');
    expect(row).toBeDefined();
    expect(JSON.stringify(t.rows)).not.toContain('minio123');
  });
});
