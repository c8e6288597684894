import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/ambiguous-ownership.js';
import { rules } from '../../rules/index.js';
import { access, sqlModel, unit } from '../helpers/sql-model.js';

describe('ambiguous-ownership', () => {
  it('reports a table claimed by two services from equal-rank sources, with both claims', () => {
    const model = sqlModel([unit('auth-service'), unit('identity-service')], [], {}, [
      {
        table: 'sessions',
        source: 'migrations',
        claims: [
          { table: 'sessions', service: 'auth-service', source: 'migrations', location: { file: 'auth-service/migrations/001.sql', line: 1, column: 1 } },
          { table: 'sessions', service: 'identity-service', source: 'migrations', location: { file: 'identity-service/migrations/001.sql', line: 3, column: 1 } },
        ],
      },
    ]);
    const result = runRules(model, [rule], resolveConfig({}, rules).rules, { includeTests: false });
    expect(result).toHaveLength(1);
    expect(result[0]!.severity).toBe('error');
    expect(result[0]!.message).toBe('sessions has 2 owners from migrations: auth-service, identity-service; keep one, or settle it in the config `tables` map');
    expect(result[0]!.related.map((r) => r.location.file)).toEqual(['auth-service/migrations/001.sql', 'identity-service/migrations/001.sql']);
  });

  it('suggests keeping each claim, the claimant that writes the table most first', () => {
    const model = sqlModel(
      [unit('messaging-service'), unit('notification-service')],
      [access('notification-service', 'device_tokens', 'write', 4), access('messaging-service', 'device_tokens', 'read', 9)],
      {},
      [{
        table: 'device_tokens',
        source: 'migrations',
        claims: [
          { table: 'device_tokens', service: 'messaging-service', source: 'migrations', location: { file: 'messaging-service/migrations/2.sql', line: 2, column: 1 } },
          { table: 'device_tokens', service: 'notification-service', source: 'migrations', location: { file: 'notification-service/migrations/1.sql', line: 1, column: 1 } },
        ],
      }],
    );
    const [finding] = runRules(model, [rule], resolveConfig({}, rules).rules, { includeTests: false, configFile: 'boundary.config.json' });
    expect(finding!.suggestions).toEqual([
      {
        title: 'Keep notification-service\'s claim (notification-service runs 1 statement on it, 1 writing): add `"device_tokens": "notification-service"` to "tables" in boundary.config.json, and remove the other claim (messaging-service\'s CREATE TABLE at messaging-service/migrations/2.sql:2:1)',
        applicability: 'display-only',
        edits: [],
      },
      {
        title: 'Keep messaging-service\'s claim (messaging-service runs 1 statement on it, 0 writing): add `"device_tokens": "messaging-service"` to "tables" in boundary.config.json, and remove the other claim (notification-service\'s CREATE TABLE at notification-service/migrations/1.sql:1:1)',
        applicability: 'display-only',
        edits: [],
      },
    ]);
  });
});
