import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/no-cross-service-db.js';
import { rules } from '../../rules/index.js';
import { access, sqlModel, unit } from '../helpers/sql-model.js';
import type { Model } from '../../src/model/types.js';

function findings(model: Model, setting: unknown = 'error', includeTests = false) {
  const config = resolveConfig({ rules: { 'no-cross-service-db': setting } }, rules);
  return runRules(model, [rule], config.rules, { includeTests });
}

const owners = {
  users: { service: 'user-service', source: 'config' as const, pattern: 'users', location: { file: 'boundary.config.json', line: 6, column: 5 } },
  posts: { service: 'content-service', source: 'migrations' as const },
};
const units = [unit('user-service'), unit('auth-service'), unit('feed-service'), unit('content-service'), unit('db', 'library')];

describe('no-cross-service-db', () => {
  it('reports one finding per service, table and op, with every statement and the owner as related locations', () => {
    const model = sqlModel(units, [
      access('auth-service', 'users', 'write', 8),
      access('auth-service', 'users', 'write', 30),
      access('auth-service', 'users', 'read', 12),
      access('user-service', 'users', 'write', 3),
    ], owners);
    const result = findings(model);
    expect(result.map((f) => [f.messageId, f.message, f.location.line])).toEqual([
      ['write', 'auth-service writes users, which user-service owns (2 statements)', 8],
      ['read', 'auth-service reads users, which user-service owns (1 statement)', 12],
    ]);
    expect(result[0]!.related.map((r) => `${r.location.file}:${r.location.line}`)).toEqual([
      'auth-service/src/db.rs:8',
      'auth-service/src/db.rs:30',
      'boundary.config.json:6',
    ]);
  });

  it('points at the service call site for a statement inside a library, and shows both', () => {
    const via = { function: 'db::find_user', unit: 'db', callSite: { file: 'feed-service/src/handlers.rs', line: 40, column: 5 } };
    const result = findings(sqlModel(units, [access('feed-service', 'users', 'read', 5, { via, location: { file: 'db/src/users.rs', line: 5, column: 9 } })], owners));
    expect(result[0]!.location).toEqual(via.callSite);
    expect(result[0]!.related.map((r) => r.message)[0]).toBe('calls db::find_user, which reads users');
  });

  it('lets reads and writes have their own severity, or be off', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5), access('feed-service', 'posts', 'write', 9)], owners);
    expect(findings(model, ['error', { reads: 'warn' }]).map((f) => [f.messageId, f.severity])).toEqual([
      ['read', 'warning'],
      ['write', 'error'],
    ]);
    expect(findings(model, ['error', { writes: 'off' }]).map((f) => f.messageId)).toEqual(['read']);
    // Without per-op options the rule's own severity applies.
    expect(findings(model, 'warn').map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('honours allow entries with globs and ops', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5), access('feed-service', 'users', 'write', 9)], owners);
    const allowed = findings(model, ['error', { allow: [{ service: '*-service', table: 'users', op: 'read', because: 'profile cache until user.events exist' }] }]);
    expect(allowed.map((f) => f.messageId)).toEqual(['write']);
  });

  it('ignores test code unless --include-tests, libraries, unknown tables and unowned tables', () => {
    const model = sqlModel(units, [
      access('feed-service', 'users', 'read', 5, { scope: 'test' }),
      access('db', 'users', 'read', 6),
      access('feed-service', '?', 'read', 7),
      access('feed-service', 'audit_log', 'write', 8),
    ], owners);
    expect(findings(model)).toEqual([]);
    expect(findings(model, 'error', true).map((f) => f.message)).toEqual(['feed-service reads users, which user-service owns (1 statement)']);
  });

  it('treats tables of other databases as other tables', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5, { datastore: 'clickhouse', database: 'clickhouse' })], owners);
    expect(findings(model)).toEqual([]);
  });
});
