// `tsstream validate --target flink`: what in a job file would not run on a Flink cluster. First
// what only tsstream knows (compat.ts), then the cluster's own verdict: each statement is
// planned with EXPLAIN in a throwaway gateway session, so a missing connector jar or a function
// the cluster lacks is named by Flink. Nothing is submitted, and nothing is written to a catalog:
// DDL that would change a catalog other than the session's in-memory one is not executed.
import { splitStatements } from '../parser/index.js';
import { flinkIncompatibilities, setStatement, TARGET_KEYS, type FlinkIncompatibility } from './compat.js';
import { FlinkError, GatewaySession } from './gateway.js';

/** What is planned with EXPLAIN (a job or a query) and what is executed as-is (session-only). */
function classify(text: string): 'explain' | 'session' | 'external-ddl' | 'skip' {
  const t = text.replace(/^\s+/, '');
  if (/^(INSERT|SELECT|WITH|VALUES|EXECUTE\s+STATEMENT\s+SET|BEGIN\s+STATEMENT\s+SET)\b/i.test(t)) return 'explain';
  if (/^(SET|RESET|USE|CREATE\s+CATALOG|CREATE\s+TEMPORARY|CREATE\s+(OR\s+REPLACE\s+)?TEMPORARY|ADD\s+JAR|LOAD\s+MODULE)\b/i.test(t)) return 'session';
  const ddl = /^(CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW|FUNCTION|DATABASE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?([`\w.]+)/i.exec(t);
  if (ddl) {
    // The session's default catalog is in memory and dies with the throwaway session.
    const name = ddl[3].replace(/`/g, '');
    if (ddl[2].toUpperCase() !== 'DATABASE' && (name.split('.').length === 1 || name.startsWith('default_catalog.'))) return 'session';
    return 'external-ddl';
  }
  return 'skip';
}

/** Everything in the file that would not run on the cluster behind `gateway`. */
export async function flinkProblems(text: string, gateway: string): Promise<FlinkIncompatibility[]> {
  const statements = splitStatements(text);
  const problems = flinkIncompatibilities(statements);
  const session = await GatewaySession.open(gateway, {}, 'tsstream-validate');
  let inSet = false;
  let setParts: string[] = [];
  try {
    for (const s of statements) {
      const set = setStatement(s.text);
      if (set && ((TARGET_KEYS as readonly string[]).includes(set.key) || set.key.startsWith('tsstream.'))) continue;
      let statement = s.text;
      // BEGIN STATEMENT SET; … END; is planned as one EXPLAIN STATEMENT SET.
      if (/^BEGIN\s+STATEMENT\s+SET\s*$/i.test(statement)) {
        inSet = true;
        setParts = [];
        continue;
      }
      if (inSet) {
        if (/^END\s*$/i.test(statement)) {
          inSet = false;
          statement = `EXECUTE STATEMENT SET BEGIN ${setParts.map((p) => `${p};`).join(' ')} END`;
        } else {
          setParts.push(statement);
          continue;
        }
      }
      const kind = classify(statement);
      if (kind === 'skip' || kind === 'external-ddl') continue;
      const asked = kind === 'explain' ? `EXPLAIN ${statement.replace(/^EXECUTE\s+(?=STATEMENT\s+SET)/i, '')}` : statement;
      try {
        await session.execute(asked);
      } catch (e) {
        if (!(e instanceof FlinkError)) throw e;
        problems.push({ item: `statement ${s.line}:${s.column}`, why: `Flink says: ${e.rootCause}`, line: s.line, column: s.column });
      }
    }
  } finally {
    await session.close();
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
