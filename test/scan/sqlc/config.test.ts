import { describe, expect, it } from 'vitest';
import { isSqlcConfigFile, scanSqlcConfig } from '../../../src/scan/sqlc/config.js';

describe('scanSqlcConfig', () => {
  it('reads version 2: engine, queries (string or list), gen.<lang>.out and codegen[].out', () => {
    const text = [
      'version: "2"',
      'sql:',
      '  - engine: "postgresql"',
      '    queries: "db/query.sql"',
      '    schema: "db/migrations"',
      '    gen:',
      '      go:',
      '        package: "db"',
      '        out: "internal/db"',
      '  - engine: sqlite',
      '    queries: ["q/a.sql", "q/b"]',
      '    codegen:',
      '      - out: src/db',
      '        plugin: ts',
      '',
    ].join('\n');
    const config = scanSqlcConfig('svc/sqlc.yaml', text);
    expect(config.diagnostics).toEqual([]);
    expect(config.entries).toEqual([
      { datastore: 'postgres', queries: ['db/query.sql'], outputs: ['internal/db'], location: { file: 'svc/sqlc.yaml', line: 3, column: 5 } },
      { datastore: 'sqlite', queries: ['q/a.sql', 'q/b'], outputs: ['src/db'], location: { file: 'svc/sqlc.yaml', line: 10, column: 5 } },
    ]);
  });

  it('reads version 1 packages (path is the output) and the JSON form', () => {
    const v1 = 'version: "1"\npackages:\n  - name: db\n    path: internal/db\n    queries: ./sql/query/\n    schema: ./sql/schema/\n    engine: mysql\n';
    expect(scanSqlcConfig('sqlc.yml', v1).entries).toEqual([
      { datastore: 'mysql', queries: ['./sql/query/'], outputs: ['internal/db'], location: { file: 'sqlc.yml', line: 3, column: 5 } },
    ]);
    const json = JSON.stringify({ version: '2', sql: [{ engine: 'postgresql', queries: 'query.sql', gen: { go: { out: 'db' } } }] }, null, 2);
    expect(scanSqlcConfig('sqlc.json', json).entries.map((e) => [e.datastore, e.queries, e.outputs])).toEqual([['postgres', ['query.sql'], ['db']]]);
  });

  it('an engine it does not analyse is an info diagnostic, not a guess', () => {
    const config = scanSqlcConfig('sqlc.yaml', 'version: "2"\nsql:\n  - engine: clickhouse-ish\n    queries: q.sql\n');
    expect(config.entries).toEqual([]);
    expect(config.diagnostics.map((d) => [d.severity, d.code, d.location?.line])).toEqual([['info', 'sqlc-engine-unknown', 3]]);
  });

  it('a config that does not parse is a warning at the error, and yields no entries', () => {
    const config = scanSqlcConfig('sqlc.yaml', 'version: "2"\nsql:\n  - engine: "postgresql\n    queries: q.sql\n');
    expect(config.entries).toEqual([]);
    expect(config.diagnostics).toHaveLength(1);
    expect(config.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'sqlc-config-parse-error', location: { file: 'sqlc.yaml' } });
  });

  it('knows sqlc config file names only', () => {
    expect(['sqlc.yaml', 'a/sqlc.yml', 'b/sqlc.json'].every(isSqlcConfigFile)).toBe(true);
    expect(['sqlc.yaml.bak', 'mysqlc.yaml', 'sqlc.toml'].some(isSqlcConfigFile)).toBe(false);
  });
});
