import { describe, expect, it, beforeAll } from 'vitest';
import { loadStatementAnalyzer, type StatementAnalyzer } from '../../../src/scan/sql/analyze.js';
import { resolveOwnership } from '../../../src/model/sql/ownership.js';
import { access, unit } from '../../helpers/sql-model.js';

let analyzer: StatementAnalyzer;
beforeAll(async () => {
  analyzer = await loadStatementAnalyzer();
});

const units = [unit('user-service'), unit('auth-service'), unit('identity-service'), unit('content-service')];

describe('resolveOwnership', () => {
  it('ranks config over migration declarations over a service\'s own migrations', () => {
    const result = resolveOwnership(
      units,
      { users: 'user-service', 'post_*': 'content-service' },
      [
        { file: 'auth-service/migrations/001.sql', text: 'CREATE TABLE users (id uuid);\nCREATE TABLE tokens (id uuid);\n' },
        { file: 'backend/migrations/002.sql', text: "CREATE TABLE sessions (id uuid, service_owner text, CONSTRAINT owned CHECK (service_owner = 'auth-service'));\n" },
      ],
      [access('content-service', 'post_likes', 'write', 3)],
      analyzer,
      { users: { file: 'boundary.config.json', line: 3, column: 5 } },
    );
    expect(result.owners).toEqual({
      post_likes: { service: 'content-service', source: 'config', pattern: 'post_*' },
      sessions: { service: 'auth-service', source: 'check-constraint', location: { file: 'backend/migrations/002.sql', line: 1, column: 1 } },
      tokens: { service: 'auth-service', source: 'migrations', location: { file: 'auth-service/migrations/001.sql', line: 2, column: 1 } },
      users: { service: 'user-service', source: 'config', pattern: 'users', location: { file: 'boundary.config.json', line: 3, column: 5 } },
    });
    expect(result.conflicts).toEqual([]);
  });

  it('follows a constraint moved by DROP CONSTRAINT and reports two live ones as a conflict', () => {
    const moved = resolveOwnership(units, {}, [
      { file: 'm/001.sql', text: "ALTER TABLE sessions ADD CONSTRAINT owned_by_auth CHECK (service_owner = 'auth-service');\n" },
      { file: 'm/002.sql', text: "ALTER TABLE sessions DROP CONSTRAINT owned_by_auth;\nALTER TABLE sessions ADD CONSTRAINT owned_by_identity CHECK (service_owner = 'identity-service');\n" },
    ], [], analyzer);
    expect(moved.owners.sessions?.service).toBe('identity-service');
    const clash = resolveOwnership(units, {}, [
      { file: 'm/001.sql', text: "ALTER TABLE sessions ADD CONSTRAINT a CHECK (service_owner = 'auth-service');\n" },
      { file: 'm/002.sql', text: "ALTER TABLE sessions ADD CONSTRAINT b CHECK (service_owner = 'identity-service');\n" },
    ], [], analyzer);
    expect(clash.owners.sessions).toBeUndefined();
    expect(clash.conflicts.map((c) => [c.table, c.source, c.claims.map((x) => x.service)])).toEqual([['sessions', 'check-constraint', ['auth-service', 'identity-service']]]);
  });

  it('takes an owner comment above CREATE TABLE, finds two services creating one table, and warns about owners that are no unit', () => {
    const result = resolveOwnership(units, { refresh_tokens: 'token-service' }, [
      { file: 'backend/migrations/003.sql', text: '-- boundary-lint: owner=identity-service\nCREATE TABLE devices (id uuid);\n' },
      { file: 'auth-service/migrations/001.sql', text: 'CREATE TABLE audit (id uuid);\n' },
      { file: 'user-service/migrations/001.sql', text: 'CREATE TABLE audit (id uuid);\n' },
    ], [], analyzer);
    expect(result.owners.devices).toMatchObject({ service: 'identity-service', source: 'owner-comment' });
    expect(result.conflicts.map((c) => c.table)).toEqual(['audit']);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['owner-not-a-unit', 'warning']]);
  });
});
