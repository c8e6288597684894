import { describe, expect, it } from 'vitest';
import { applySuppressions, parseSuppressionComments, suppressionsByFile } from '../../src/check/suppressions.js';
import type { Finding } from '../../src/check/types.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { rules } from '../../rules/index.js';

function finding(ruleId: string, file: string, line: number, related: { file: string; line: number }[] = []): Finding {
  return {
    ruleId,
    severity: 'error',
    messageId: 'm',
    message: `${ruleId} at ${line}`,
    location: { file, line, column: 5 },
    related: related.map((r) => ({ location: { ...r, column: 1 }, message: 'evidence' })),
    fingerprint: `${ruleId}-${file}-${line}`,
    data: {},
    suggestions: [],
  };
}

const settings = (raw: Record<string, unknown> = {}) => resolveConfig({ rules: raw }, rules).rules;

describe('parseSuppressionComments', () => {
  it('reads the Rust, SQL and TOML forms: rules, reason, position and the line they apply to', () => {
    const rust = parseSuppressionComments('a/src/main.rs', 'fn main() {}\n    // boundary-lint-disable-next-line no-cycles, no-cross-service-db -- shared read model (#12)\nlet x = 1;\n');
    expect(rust).toEqual([
      {
        location: { file: 'a/src/main.rs', line: 2, column: 5, endLine: 2, endColumn: 97 },
        rules: ['no-cycles', 'no-cross-service-db'],
        reason: 'shared read model (#12)',
        targetLine: 3,
      },
    ]);
    const sql = parseSuppressionComments('m/001.sql', '-- boundary-lint-disable-next-line no-cross-service-db -- legacy view\nSELECT 1;\n');
    expect(sql.map((c) => [c.rules, c.reason, c.targetLine])).toEqual([[['no-cross-service-db'], 'legacy view', 2]]);
    const toml = parseSuppressionComments('a/Cargo.toml', '[dependencies]\n# boundary-lint-disable-next-line no-cycles -- being split in Q3\nb = { path = "../b" }\n');
    expect(toml.map((c) => [c.rules, c.reason, c.targetLine])).toEqual([[['no-cycles'], 'being split in Q3', 3]]);
  });

  it('reads the TypeScript, JavaScript and Prisma forms (line comments with //)', () => {
    const directive = '  // boundary-lint-disable-next-line no-cross-service-db -- reporting replica, see ADR-7\n  await pool.query(sql);\n';
    for (const file of ['apps/worker/src/report.ts', 'web/App.tsx', 'lib/a.mts', 'lib/b.cts', 'tools/x.js', 'tools/y.mjs', 'tools/z.cjs', 'web/W.jsx', 'prisma/schema.prisma']) {
      expect(parseSuppressionComments(file, directive).map((c) => [c.rules, c.reason, c.targetLine]), file).toEqual([[['no-cross-service-db'], 'reporting replica, see ADR-7', 2]]);
    }
  });

  it('notes a missing reason, skips stacked directives to the code line, and ignores other comment styles and files', () => {
    const text = [
      '// boundary-lint-disable-next-line no-cycles',
      '// boundary-lint-disable-next-line no-cross-service-db --   ',
      'query();',
      'let s = "// boundary-lint-disable-next-line no-cycles -- in a string";',
      '/// boundary-lint-disable-next-line no-cycles -- a doc comment',
      '# boundary-lint-disable-next-line no-cycles -- wrong marker for Rust',
      '',
    ].join('\n');
    expect(parseSuppressionComments('x.rs', text).map((c) => [c.rules, c.reason, c.targetLine])).toEqual([
      [['no-cycles'], undefined, 3],
      [['no-cross-service-db'], undefined, 3],
    ]);
    expect(parseSuppressionComments('x.json', '// boundary-lint-disable-next-line no-cycles -- x\n')).toEqual([]);
    expect(suppressionsByFile([['a.rs', 'fn f() {}\n'], ['b.sql', '-- boundary-lint-disable-next-line no-cycles -- y\nx\n']]).size).toBe(1);
  });
});

describe('applySuppressions', () => {
  const comments = (file: string, text: string) => suppressionsByFile([[file, text]]);

  it('marks the finding on the next line as suppressed with the reason, and leaves the others alone', () => {
    const byFile = comments('a.rs', 'x\n// boundary-lint-disable-next-line no-cycles -- being split (#7)\ny\nz\n');
    const result = applySuppressions([finding('no-cycles', 'a.rs', 3), finding('no-cycles', 'a.rs', 4), finding('no-cross-service-db', 'a.rs', 3)], byFile, {
      knownRules: rules,
      settings: settings(),
    });
    expect(result.map((f) => [f.ruleId, f.location.line, f.suppressed?.reason])).toEqual([
      ['no-cross-service-db', 3, undefined],
      ['no-cycles', 3, 'being split (#7)'],
      ['no-cycles', 4, undefined],
    ]);
    expect(result[1]!.suppressed!.location).toMatchObject({ file: 'a.rs', line: 2, column: 1 });
  });

  it('reports an unused suppression per rule id, and says where the finding starts when the line is only its evidence', () => {
    const byFile = comments('a.rs', 'x\n// boundary-lint-disable-next-line no-cycles, no-cross-service-db -- why\ny\n');
    const result = applySuppressions([finding('no-cycles', 'a.rs', 3), finding('no-cross-service-db', 'a.rs', 1, [{ file: 'a.rs', line: 3 }])], byFile, {
      knownRules: rules,
      settings: settings(),
    });
    const unused = result.filter((f) => f.ruleId === 'unused-suppression');
    expect(unused.map((f) => [f.severity, f.message, f.location.line])).toEqual([
      [
        'warning',
        'suppression of no-cross-service-db silences nothing: the next line is evidence of the no-cross-service-db finding that starts at a.rs:1; a suppression goes above the line where a finding starts',
        2,
      ],
    ]);
    const none = applySuppressions([], byFile, { knownRules: rules, settings: settings() });
    expect(none.map((f) => f.message)).toEqual([
      'suppression of no-cross-service-db silences nothing: no no-cross-service-db finding starts on the next line; remove it',
      'suppression of no-cycles silences nothing: no no-cycles finding starts on the next line; remove it',
    ]);
    expect(applySuppressions([], byFile, { knownRules: rules, settings: settings({ 'unused-suppression': 'off' }) })).toEqual([]);
  });

  it('reports a missing reason, a missing rule and an unknown rule; a comment without a reason silences nothing', () => {
    const byFile = comments('a.rs', '// boundary-lint-disable-next-line no-cycles\ny\n// boundary-lint-disable-next-line -- why\n// boundary-lint-disable-next-line no-cycle, no-cycles -- typo\nz\n');
    const result = applySuppressions([finding('no-cycles', 'a.rs', 2), finding('no-cycles', 'a.rs', 5)], byFile, { knownRules: rules, settings: settings() });
    expect(result.map((f) => [f.ruleId, f.severity, f.location.line, f.suppressed ? 'suppressed' : f.message])).toEqual([
      ['invalid-suppression', 'error', 1, 'suppression of no-cycles gives no reason, so it silences nothing: write ` -- <why>` after the rule ids'],
      ['no-cycles', 'error', 2, 'no-cycles at 2'],
      ['invalid-suppression', 'error', 3, 'suppression names no rule: write the rule ids it silences, then ` -- <why>`'],
      ['invalid-suppression', 'error', 4, 'suppression names unknown rule "no-cycle"; did you mean "no-cycles"?'],
      ['no-cycles', 'error', 5, 'suppressed'],
    ]);
    // With invalid-suppression off, a reasonless comment silences what it names.
    const lenient = applySuppressions([finding('no-cycles', 'a.rs', 2)], comments('a.rs', '// boundary-lint-disable-next-line no-cycles\ny\n'), {
      knownRules: rules,
      settings: settings({ 'invalid-suppression': 'off' }),
    });
    expect(lenient.map((f) => [f.ruleId, f.suppressed])).toEqual([['no-cycles', { reason: '', location: expect.objectContaining({ line: 1 }) }]]);
  });

  it('never suppresses findings about suppressions, and gives them line-independent fingerprints', () => {
    const a = applySuppressions([], comments('a.rs', '// boundary-lint-disable-next-line no-cycles -- why\nx\n'), { knownRules: rules, settings: settings() });
    const b = applySuppressions([], comments('a.rs', '\n\n// boundary-lint-disable-next-line no-cycles -- why\nx\n'), { knownRules: rules, settings: settings() });
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
    expect(a[0]!.location.line).not.toBe(b[0]!.location.line);
    const self = applySuppressions(a, comments('a.rs', '// boundary-lint-disable-next-line unused-suppression -- no\n// boundary-lint-disable-next-line no-cycles -- why\nx\n'), {
      knownRules: rules,
      settings: settings(),
    });
    expect(self.filter((f) => f.suppressed)).toEqual([]);
  });
});
