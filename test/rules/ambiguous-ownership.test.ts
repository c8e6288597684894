import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/ambiguous-ownership.js';
import { rules } from '../../rules/index.js';
import { sqlModel, unit } from '../helpers/sql-model.js';

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
});
