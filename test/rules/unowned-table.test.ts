import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/unowned-table.js';
import { rules } from '../../rules/index.js';
import { access, sqlModel, unit } from '../helpers/sql-model.js';

describe('unowned-table', () => {
  it('reports each unit and table without owner once, as a warning, ignoring catalogs and test code', () => {
    const model = sqlModel([unit('feed-service'), unit('tools', 'library')], [
      access('feed-service', 'audit_log', 'write', 8),
      access('feed-service', 'audit_log', 'read', 12),
      access('tools', 'audit_log', 'read', 3),
      access('feed-service', 'pg_stat_activity', 'read', 20),
      access('feed-service', 'scratch', 'read', 30, { scope: 'test' }),
      access('feed-service', 'users', 'read', 40),
    ], { users: { service: 'user-service', source: 'config' } });
    const config = resolveConfig({}, rules);
    const result = runRules(model, [rule], config.rules, { includeTests: false });
    expect(result.map((f) => [f.severity, f.message, f.location.line, f.related.length])).toEqual([
      ['warning', 'feed-service uses audit_log, which no service owns: declare its owner in the config `tables` map or in its migration', 8, 1],
      ['warning', 'tools uses audit_log, which no service owns: declare its owner in the config `tables` map or in its migration', 3, 0],
    ]);
  });

  it('suggests the config `tables` entry to add, with the owner when exactly one service uses the table', () => {
    const model = sqlModel([unit('feed-service'), unit('search-service'), unit('tools', 'library')], [
      access('feed-service', 'audit_log', 'write', 8),
      access('tools', 'audit_log', 'read', 3),
      access('tools', 'schema_history', 'read', 4),
      access('feed-service', 'scratch', 'read', 9),
      access('search-service', 'scratch', 'read', 6),
    ], {});
    const result = runRules(model, [rule], resolveConfig({}, rules).rules, { includeTests: false, configFile: 'backend/boundary.config.json' });
    expect(result.map((f) => [f.data.unit, f.data.table, f.suggestions])).toEqual([
      ['feed-service', 'audit_log', [{
        title: 'Declare the owner of audit_log: add `"audit_log": "feed-service"` to "tables" in backend/boundary.config.json, or add "audit_log" to this rule\'s "ignore" option if no service owns it',
        applicability: 'display-only',
        edits: [],
      }]],
      ['feed-service', 'scratch', [expect.objectContaining({ title: expect.stringContaining('add `"scratch": "<owning service>"` to "tables" in backend/boundary.config.json (services using it: feed-service, search-service)') })]],
      ['search-service', 'scratch', [expect.objectContaining({ applicability: 'display-only' })]],
      ['tools', 'audit_log', [expect.objectContaining({ title: expect.stringContaining('`"audit_log": "feed-service"`') })]],
      ['tools', 'schema_history', [expect.objectContaining({ title: expect.stringContaining('`"schema_history": "<owning service>"` to "tables" in backend/boundary.config.json,') })]],
    ]);
  });
});
