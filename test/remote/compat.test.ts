// What only tsstream runs is named before a file goes to Flink: JavaScript functions among them.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from '../e2e/helpers.js';
import { splitStatements } from '../../src/parser/index.js';
import { flinkIncompatibilities, incompatibilityText } from '../../src/remote/compat.js';

describe('flinkIncompatibilities', () => {
  it('names a JavaScript function (LANGUAGE JAVASCRIPT, or a .js/.mjs/.ts module) with its position; Java, Python and SQL functions pass', () => {
    const sql = `CREATE TABLE t (a INT) WITH ('connector' = 'datagen');
CREATE TEMPORARY FUNCTION twice AS 'udf/twice.js' LANGUAGE JAVASCRIPT;
CREATE FUNCTION IF NOT EXISTS half AS './half.mjs';
CREATE FUNCTION javaf AS 'com.example.JavaF';
CREATE FUNCTION pyf AS 'mod.pyf' LANGUAGE PYTHON;
SELECT twice(a) FROM t;
`;
    const items = flinkIncompatibilities(splitStatements(sql));
    expect(incompatibilityText(items, 'job.sql')).toBe(
      [
        "job.sql:2:18: function twice ('udf/twice.js') would not run on Flink: a JavaScript function, which only tsstream runs (Flink runs Java, Scala and Python functions)",
        "job.sql:3:8: function half ('./half.mjs') would not run on Flink: a JavaScript function, which only tsstream runs (Flink runs Java, Scala and Python functions)",
      ].join('\n'),
    );
  });
});

describe('tsstream validate --target flink', () => {
  it('exits 1 naming a JavaScript function, before asking any cluster', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-compat-'));
    try {
      const file = path.join(dir, 'udf.sql');
      writeFileSync(file, "CREATE TEMPORARY FUNCTION twice AS 'udf/twice.js' LANGUAGE JAVASCRIPT;\nCREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n");
      const r = spawnSync(process.execPath, [BIN, 'validate', '--target', 'flink', file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TSSTREAM_GATEWAY: '' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${file}:1:18: function twice ('udf/twice.js') would not run on Flink: a JavaScript function, which only tsstream runs`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
