// JavaScript user-defined functions (beyond Flink): CREATE FUNCTION f AS 'file.js' LANGUAGE
// JAVASCRIPT, scalar and aggregate, in batch and streaming; a function that throws names itself,
// its file and line.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, collectQuery } from '../../src/cli/session.js';

const dir = path.relative(process.cwd(), path.join(path.dirname(fileURLToPath(import.meta.url)), 'udf'));

async function query(sql: string, mode: 'batch' | 'streaming'): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`SET 'execution.runtime-mode' = '${mode}';
      CREATE TEMPORARY FUNCTION greet AS '${dir}/greet.js' LANGUAGE JAVASCRIPT;
      CREATE FUNCTION IF NOT EXISTS weighted_avg AS '${dir}/weighted_avg.js' LANGUAGE JAVASCRIPT;
      CREATE FUNCTION IF NOT EXISTS checked AS '${dir}/checked.js';
      CREATE FUNCTION IF NOT EXISTS split_words AS '${dir}/split_words.js' LANGUAGE JAVASCRIPT;
      ${sql}`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    return (await collectQuery(q)).map((r) => r.map((v) => String(v)).join(' '));
  } finally {
    await session.executeAll('DROP FUNCTION IF EXISTS greet; DROP FUNCTION IF EXISTS weighted_avg; DROP FUNCTION IF EXISTS checked; DROP FUNCTION IF EXISTS split_words;').catch(() => {});
    await session.close();
  }
}

const T = `(VALUES ('a', 10, 1), ('b', 20, 3), ('a', 40, 3), (CAST(NULL AS STRING), 5, 1)) AS t(k, v, w)`;

describe('JavaScript user-defined functions', () => {
  for (const mode of ['batch', 'streaming'] as const) {
    it(`runs a scalar function in ${mode} mode`, async () => {
      expect((await query(`SELECT greet(k, 2) AS g FROM ${T}`, mode)).sort()).toEqual(['hello a!!', 'hello a!!', 'hello b!!', 'null']);
    });

    it(`runs a table function with LATERAL TABLE in ${mode} mode`, async () => {
      const S = `(VALUES (1, 'to be or'), (2, CAST(NULL AS STRING)), (3, '')) AS s(id, txt)`;
      expect((await query(`SELECT id, word, len FROM ${S}, LATERAL TABLE(split_words(txt))`, mode)).sort()).toEqual(['1 be 2', '1 or 2', '1 to 2']);
      expect((await query(`SELECT id, w, n FROM ${S} LEFT JOIN LATERAL TABLE(split_words(txt)) AS T(w, n) ON TRUE WHERE id > 1`, mode)).sort()).toEqual(['2 null null', '3 null null']);
    });

    it(`runs an aggregate function with GROUP BY in ${mode} mode`, async () => {
      const rows = await query(`SELECT k, weighted_avg(v, w) AS a FROM ${T} WHERE k IS NOT NULL GROUP BY k`, mode);
      // Streaming: the changelog's last row per key.
      const last = new Map(rows.map((r) => [r.split(' ')[0], r]));
      expect([...last.values()].sort()).toEqual(['a 32.5', 'b 20']);
    });
  }

  it('fails with the function, its file and line when it throws (no stack trace)', async () => {
    const err = await query(`SELECT checked(v - 15) FROM ${T}`, 'batch').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/JavaScript function checked threw at .*checked\.js:6: negative input -5/);
    expect(msg).toContain("6 | if (x < 0) throw new Error(`negative input ${x}`);");
    expect(msg).not.toMatch(/\n\s+at /);
  });

  it('refuses a call with the wrong number of arguments, and a Java class', async () => {
    await expect(query(`SELECT greet(k) FROM ${T}`, 'batch')).rejects.toThrow(/greet takes 2 argument\(s\) \(STRING, INT\), found 1/);
    const session = new Session({ log: () => {} });
    await expect(session.executeAll(`CREATE FUNCTION f AS 'com.example.F';`)).rejects.toThrow(/write it in JavaScript/);
    await session.close();
  });
});

describe('JavaScript functions in tsstream test', () => {
  it('a spec runs a job that creates and calls one', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const { parseSpecText, runSpec, failureText } = await import('../../src/testing/index.js');
    const d = mkdtempSync(path.join(os.tmpdir(), 'tsstream-udf-spec-'));
    writeFileSync(
      path.join(d, 'job.sql'),
      `CREATE FUNCTION greet AS '${path.resolve(dir, 'greet.js')}' LANGUAGE JAVASCRIPT;
CREATE TABLE names (name STRING) WITH ('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'json');
CREATE TABLE greetings (g STRING) WITH ('connector' = 'blackhole');
INSERT INTO greetings SELECT greet(name, 1) FROM names;
`,
    );
    const yaml = `job: job.sql
sources:
  names:
    rows: [{name: ann}, {name: bob}]
sinks:
  greetings:
    expect: [{g: "hello ann!"}, {g: "hello bob!"}]
`;
    const file = path.join(d, 'udf.test.yaml');
    writeFileSync(file, yaml);
    const [spec] = parseSpecText(yaml, file);
    const r = await runSpec(spec);
    await import('../../src/functions/registry.js').then((m) => m.dropUserFunction('greet'));
    expect(failureText(r), failureText(r) + (r.message ?? '')).toBe('');
    expect(r.status).toBe('pass');
  });
});
