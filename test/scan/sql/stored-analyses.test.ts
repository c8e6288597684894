import { describe, expect, it } from 'vitest';
import type { AnalysisStore, StatementAnalysis } from '../../../src/scan/sql/analyze.js';
import { analysesFromStored, storedAnalysesOf } from '../../../src/scan/sql/stored-analyses.js';

const select: StatementAnalysis = { kind: 'select', reads: ['users'], writes: [], ddl: [], uncertain: false, parser: 'libpg-query' };
const rejected: StatementAnalysis = { kind: 'other', reads: [], writes: [], ddl: [], uncertain: true, parser: 'fallback', error: { message: 'syntax error at or near "FORM"', offset: 9 } };

describe('stored statement analyses', () => {
  it('come back from JSON as they were stored, per dialect', () => {
    const store: AnalysisStore = new Map([
      ['postgres', new Map([['SELECT * FROM users', select], ['SELECT * FORM x', rejected]])],
      ['clickhouse', new Map([['SELECT count() FROM events', { ...select, reads: ['clickhouse:events'] }]])],
    ]);
    const back = analysesFromStored(JSON.parse(JSON.stringify(storedAnalysesOf(store))));
    expect(back).toEqual(store);
    expect(back!.get('postgres')!.get('SELECT * FORM x')!.error).toEqual({ message: 'syntax error at or near "FORM"', offset: 9 });
  });

  it('drop entries of the wrong shape and unknown dialects, keeping the rest', () => {
    const value = {
      version: 1,
      dialects: {
        postgres: [
          ['SELECT * FROM users', select],
          ['bad kind', { ...select, kind: 'explode' }],
          ['bad list', { ...select, reads: 'users' }],
          ['bad error', { ...rejected, error: { message: 'x' } }],
          ['no analysis'],
          [42, select],
        ],
        oracle: [['SELECT 1 FROM dual', select]],
      },
    };
    const back = analysesFromStored(value)!;
    expect([...back.keys()]).toEqual(['postgres']);
    expect([...back.get('postgres')!.keys()]).toEqual(['SELECT * FROM users']);
  });

  it('are nothing when the value is not stored analyses', () => {
    for (const value of [undefined, null, 'text', [], { version: 2, dialects: {} }, { version: 1 }]) expect(analysesFromStored(value)).toBeUndefined();
  });
});
