import { describe, expect, it } from 'vitest';
import {
  compareWithBaseline,
  createBaseline,
  evidenceOf,
  isOpen,
  parseBaseline,
  serializeBaseline,
  shrinkBaseline,
  type LineText,
} from '../../src/check/baseline.js';
import type { Finding } from '../../src/check/types.js';

const SOURCE: Record<string, string[]> = {
  'feed/src/main.rs': ['fn main() {}', '    sqlx::query!("SELECT id FROM users")', '  call_users(&pool);   ', 'other();'],
  'migrations/001.sql': ['CREATE TABLE users (id int);'],
};
const lines: LineText = (file, line) => SOURCE[file]?.[line - 1];

/** A cross-service-db-like finding: a statement per `statements` entry (content) plus the owner (line text). */
function reads(statements: string[], extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'no-cross-service-db',
    severity: 'error',
    messageId: 'read',
    message: `feed reads users (${statements.length} statements)`,
    location: { file: 'feed/src/main.rs', line: 2, column: 18 },
    related: [
      ...statements.map((s, i) => ({ location: { file: 'feed/src/main.rs', line: 2 + i * 10, column: 18 }, message: `reads users: ${s}`, content: s })),
      { location: { file: 'migrations/001.sql', line: 1, column: 1 }, message: 'users is owned by user' },
    ],
    fingerprint: 'fp-users',
    data: {},
    suggestions: [],
    ...extra,
  };
}

describe('baseline', () => {
  it('takes evidence by content: statements normalised, other locations by their source line, never line numbers', () => {
    const items = evidenceOf(reads(['SELECT  id\n   FROM users']), lines).map((e) => e.item);
    expect(items).toEqual([
      { file: 'feed/src/main.rs', text: 'SELECT id FROM users' },
      { file: 'migrations/001.sql', text: 'CREATE TABLE users (id int);' },
    ]);
    const cycle: Finding = { ...reads([]), ruleId: 'no-cycles', location: { file: 'feed/src/main.rs', line: 3, column: 3 }, related: [] };
    expect(evidenceOf(cycle, lines).map((e) => e.item)).toEqual([{ file: 'feed/src/main.rs', text: 'call_users(&pool);' }]);
  });

  it('classifies new, unchanged and grown findings and lists fixed entries', () => {
    const baseline = createBaseline([reads(['SELECT a FROM users', 'SELECT b FROM users']), { ...reads(['x']), fingerprint: 'fp-gone' }], lines);
    const current = [
      reads(['SELECT b FROM users', 'SELECT a FROM users']),
      { ...reads(['SELECT c FROM posts']), fingerprint: 'fp-new' },
    ];
    const same = compareWithBaseline(current, baseline, lines);
    expect(same.findings.map((f) => [f.fingerprint, f.baselineState])).toEqual([
      ['fp-users', 'unchanged'],
      ['fp-new', 'new'],
    ]);
    expect(same.fixed.map((e) => e.fingerprint)).toEqual(['fp-gone']);

    // The same statement a second time is evidence the baseline does not have.
    const grown = compareWithBaseline([reads(['SELECT a FROM users', 'SELECT b FROM users', 'SELECT a FROM users'])], baseline, lines);
    expect(grown.findings[0]).toMatchObject({ baselineState: 'updated', newEvidence: [{ file: 'feed/src/main.rs', line: 22 }] });
    expect(grown.findings.filter(isOpen)).toHaveLength(1);
    expect(same.findings.filter(isOpen).map((f) => f.fingerprint)).toEqual(['fp-new']);
  });

  it('leaves suppressed findings out of the baseline and the comparison', () => {
    const suppressed = reads(['SELECT a FROM users'], { suppressed: { reason: 'why', location: { file: 'feed/src/main.rs', line: 1, column: 1 } } });
    expect(createBaseline([suppressed], lines).findings).toEqual([]);
    const compared = compareWithBaseline([suppressed], { version: 1, findings: [] }, lines);
    expect(compared.findings[0]!.baselineState).toBeUndefined();
    expect(isOpen(compared.findings[0]!)).toBe(false);
  });

  it('shrinks: drops fixed entries and gone evidence, never adds findings or evidence', () => {
    const baseline = createBaseline([reads(['SELECT a FROM users', 'SELECT b FROM users']), { ...reads(['x']), fingerprint: 'fp-gone' }], lines);
    const now = [reads(['SELECT a FROM users', 'SELECT z FROM users']), { ...reads(['y']), fingerprint: 'fp-new' }];
    expect(compareWithBaseline(now, baseline, lines).shrinkable).toBe(1);
    const shrunk = shrinkBaseline(baseline, now, lines);
    expect(shrunk.findings.map((e) => [e.fingerprint, e.evidence.map((i) => i.text)])).toEqual([
      ['fp-users', ['SELECT a FROM users', 'CREATE TABLE users (id int);']],
    ]);
    // The grown finding keeps its recorded message and still fails.
    expect(shrunk.findings[0]!.message).toBe('feed reads users (2 statements)');
    expect(compareWithBaseline(now, shrunk, lines).findings[0]!.baselineState).toBe('updated');
  });

  it('serialises deterministically and round-trips; rejects files it cannot trust', () => {
    const a = createBaseline([reads(['SELECT b FROM users', 'SELECT a FROM users']), { ...reads(['x']), ruleId: 'no-cycles', fingerprint: 'fp-c' }], lines);
    const b = createBaseline([{ ...reads(['x']), ruleId: 'no-cycles', fingerprint: 'fp-c' }, reads(['SELECT a FROM users', 'SELECT b FROM users'])], lines);
    expect(serializeBaseline(a)).toBe(serializeBaseline(b));
    expect(serializeBaseline(parseBaseline(serializeBaseline(a)))).toBe(serializeBaseline(a));
    expect(serializeBaseline(a)).toMatch(/^\{\n {2}"version": 1,\n {2}"tool": "boundary-lint",\n {2}"findings": \[/);
    expect(serializeBaseline(a).endsWith('\n')).toBe(true);
    expect(() => parseBaseline('nope')).toThrow(/not JSON/);
    expect(() => parseBaseline('{"version": 2, "findings": []}')).toThrow(/unsupported version 2/);
    expect(() => parseBaseline('{"version": 1, "findings": [{"ruleId": "x"}]}')).toThrow(/findings\[0\] needs/);
  });
});
