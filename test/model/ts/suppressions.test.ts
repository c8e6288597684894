import { describe, expect, it } from 'vitest';
import { runRepo, workspace } from './helpers.js';

describe('suppression comments in TypeScript sources', () => {
  it('silence the finding on the next line, with the reason; an unused one is reported', async () => {
    const result = await runRepo(
      workspace(
        {
          'boundary.config.json': JSON.stringify({ tables: { users: '@x/api', orders: '@x/api' }, rules: { 'no-cross-service-db': 'error' } }),
          'packages/worker/src/report.ts': [
            "import { Pool } from 'pg';",
            'const pool = new Pool();',
            'export async function report(): Promise<void> {',
            '  // boundary-lint-disable-next-line no-cross-service-db -- reporting replica, see ADR-7',
            "  await pool.query('SELECT id FROM users');",
            "  await pool.query('SELECT id FROM orders');",
            '  // boundary-lint-disable-next-line no-cross-service-db -- nothing below touches a table',
            '  console.log(1);',
            '}',
            '',
          ].join('\n'),
        },
        { worker: ['pg'] },
      ),
    );
    const lines = result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.suppressed ? `suppressed: ${f.suppressed.reason}` : 'active'}`);
    expect(lines).toEqual([
      'no-cross-service-db packages/worker/src/report.ts:5 suppressed: reporting replica, see ADR-7',
      'no-cross-service-db packages/worker/src/report.ts:6 active',
      'unused-suppression packages/worker/src/report.ts:7 active',
    ]);
  });
});
