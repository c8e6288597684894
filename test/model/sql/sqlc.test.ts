import { describe, expect, it } from 'vitest';
import { scanSqlcConfig } from '../../../src/scan/sqlc/config.js';
import { sqlcStatements } from '../../../src/model/sql/sqlc.js';
import type { Unit } from '../../../src/model/types.js';

function unit(name: string, path: string): Unit {
  return { name, kind: 'service', path, language: 'typescript', manifest: `${path}/package.json`, workspace: 'package.json', kindSource: 'start-script', binaries: [], hasLibrary: false, externalDependencies: [] };
}

const QUERIES = [
  '-- name: GetJob :one',
  'SELECT id, state FROM jobs',
  'WHERE id = $1 LIMIT 1;',
  '',
  '-- A plain comment is not a query.',
  '-- name: ClaimJob :exec',
  'UPDATE jobs SET state = \'running\' WHERE id = $1;',
  '',
].join('\n');

function statementsOf(files: Record<string, string>, units: Unit[]) {
  const configs = Object.keys(files).filter((f) => /sqlc\.(ya?ml|json)$/.test(f)).map((f) => scanSqlcConfig(f, files[f]!));
  return sqlcStatements(configs, Object.keys(files).sort(), units, (f) => files[f]);
}

describe('sqlcStatements', () => {
  it('gives each named query to the unit that receives the generated code, at its line in the .sql file', () => {
    const files = {
      'db/sqlc.yaml': 'version: "2"\nsql:\n  - engine: postgresql\n    queries: queries/jobs.sql\n    codegen:\n      - out: ../apps/worker/src/db\n        plugin: ts\n',
      'db/queries/jobs.sql': QUERIES,
    };
    const { statements, diagnostics } = statementsOf(files, [unit('worker', 'apps/worker'), unit('gateway', 'apps/gateway')]);
    expect(diagnostics).toEqual([]);
    expect(statements).toEqual([
      { unit: 'worker', sql: 'SELECT id, state FROM jobs\nWHERE id = $1 LIMIT 1;', location: { file: 'db/queries/jobs.sql', line: 2, column: 1 }, dynamic: false, scope: 'prod', datastore: 'postgres' },
      { unit: 'worker', sql: "UPDATE jobs SET state = 'running' WHERE id = $1;", location: { file: 'db/queries/jobs.sql', line: 7, column: 1 }, dynamic: false, scope: 'prod', datastore: 'postgres' },
    ]);
  });

  it('reads every .sql file of a queries directory, and falls back to the unit holding the config', () => {
    const files = {
      'services/billing/sqlc.yaml': 'version: "1"\npackages:\n  - path: ../../gen\n    queries: ./sql/\n    engine: sqlite\n',
      'services/billing/sql/a.sql': '-- name: ListInvoices :many\nSELECT * FROM invoices;\n',
      'services/billing/sql/b.sql': '-- name: DeleteInvoice :exec\nDELETE FROM invoices WHERE id = ?;\n',
      'services/billing/sql-notes.md': '',
    };
    const { statements } = statementsOf(files, [unit('billing', 'services/billing')]);
    expect(statements.map((s) => [s.unit, s.location.file, s.datastore])).toEqual([
      ['billing', 'services/billing/sql/a.sql', 'sqlite'],
      ['billing', 'services/billing/sql/b.sql', 'sqlite'],
    ]);
  });

  it('says so when queries are missing or no unit contains the entry', () => {
    const missing = statementsOf({ 'svc/sqlc.yaml': 'version: "2"\nsql:\n  - engine: postgresql\n    queries: nowhere.sql\n' }, [unit('svc', 'svc')]);
    expect(missing.statements).toEqual([]);
    expect(missing.diagnostics.map((d) => [d.severity, d.code, d.location?.file, d.location?.line])).toEqual([['warning', 'sqlc-queries-missing', 'svc/sqlc.yaml', 3]]);
    const orphan = statementsOf({ 'tools/sqlc.yaml': 'version: "2"\nsql:\n  - engine: postgresql\n    queries: q.sql\n', 'tools/q.sql': '-- name: A :one\nSELECT 1;\n' }, [unit('svc', 'svc')]);
    expect(orphan.statements).toEqual([]);
    expect(orphan.diagnostics.map((d) => d.code)).toEqual(['sqlc-queries-unattributed']);
  });
  it('credits the deepest unit holding the output, even below a root unit and in a one-letter directory', () => {
    const files = {
      'a/sqlc.yaml': 'version: "2"\nsql:\n  - engine: postgresql\n    queries: q.sql\n    gen:\n      go:\n        out: gen\n',
      'a/q.sql': '-- name: GetA :one\nSELECT 1 FROM a_table;\n',
    };
    const { statements } = statementsOf(files, [unit('root', '.'), unit('a', 'a')]);
    expect(statements.map((s) => s.unit)).toEqual(['a']);
  });
});
