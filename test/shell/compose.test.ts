// docker-compose.yml and the image: checked by `docker compose config` where a Docker client
// exists (skipped with the reason printed otherwise), and read as YAML everywhere: the services
// the walkthrough needs, Kafka's two listeners, the bucket, and the shell's init file.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function dockerCompose(): string | undefined {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (e) {
    return `docker compose is not available here (${(e as Error).message.split('\n')[0]})`;
  }
}
const noCompose = dockerCompose();
if (noCompose) console.warn(`[test/shell] skipping 'docker compose config -q': ${noCompose}`);

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  command?: string[] | string;
  entrypoint?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  stdin_open?: boolean;
  tty?: boolean;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const s = compose.services;

  it.skipIf(noCompose !== undefined)('passes docker compose config -q', () => {
    const r = spawnSync('docker', ['compose', 'config', '-q'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('has Kafka in KRaft mode with kafka:29092 inside and localhost:9092 for the host', () => {
    expect(s.kafka.image).toMatch(/^apache\/kafka:/);
    const env = s.kafka.environment!;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS.split(',')).toEqual(['PLAINTEXT://kafka:29092', 'PLAINTEXT_HOST://localhost:9092']);
    expect(s.kafka.ports).toContain('9092:9092');
    // A KRaft cluster id is a base64 UUID: 22 characters.
    expect(Buffer.from(String(env.CLUSTER_ID).replace(/-/g, '+').replace(/_/g, '/'), 'base64')).toHaveLength(16);
  });

  it('has MinIO, the warehouse bucket and the REST catalog storing into it', () => {
    expect(s.minio.image).toMatch(/^minio\/minio/);
    expect(String(s.mc.command)).toContain('mc mb --ignore-existing minio/warehouse');
    expect(s.rest.image).toMatch(/^apache\/iceberg-rest-fixture/);
    expect(s.rest.environment).toMatchObject({ CATALOG_WAREHOUSE: 's3://warehouse/', CATALOG_S3_ENDPOINT: 'http://minio:9000', AWS_ACCESS_KEY_ID: 'admin' });
    expect(s.rest.depends_on?.mc.condition).toBe('service_completed_successfully');
  });

  it('builds tsstream from the Dockerfile and opens the shell with iceberg_catalog from docker/init.sql', () => {
    expect(s.tsstream.build).toBeDefined();
    expect(s['sql-client'].image).toBe(s.tsstream.image);
    expect(s['sql-client'].stdin_open && s['sql-client'].tty).toBe(true);
    const entry = readFileSync(path.join(root, 'docker/sql-client.sh'), 'utf8');
    expect(s['sql-client'].entrypoint).toEqual(['/opt/tsstream/docker/sql-client.sh']);
    expect(entry).toContain('tsstream sql -i docker/init.sql');
    const init = readFileSync(path.join(root, 'docker/init.sql'), 'utf8');
    expect(init).toMatch(/CREATE CATALOG iceberg_catalog WITH \(\s*'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http:\/\/rest:8181'/);
    const v = spawnSync(process.execPath, ['bin/tsstream.js', 'validate', 'docker/init.sql'], { cwd: root, encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim/m);
    expect(dockerfile).toContain('npm ci');
    // `npm run build` is tsc -p tsconfig.build.json and then the bundle the CLI starts from.
    expect(dockerfile).toMatch(/RUN npm run build && .*test -f dist\/cli\/tsstream\.cjs/);
    expect(dockerfile).toMatch(/COPY scripts\/bundle\.mjs scripts\/code-cache\.mjs/);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toContain('tsc -p tsconfig.build.json');
  });
});
