import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/check/types.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import type { ReportInput } from '../../src/report/types.js';
import { canonicalContext } from '../helpers/canonical-result.js';
import { sqlModel, unit } from '../helpers/sql-model.js';

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'no-cycles',
    severity: 'error',
    messageId: 'cycle',
    message: 'dependency cycle between services: a → b → a',
    location: { file: 'a/Cargo.toml', line: 6, column: 1, endLine: 6, endColumn: 10 },
    related: [],
    fingerprint: '0',
    data: {},
    suggestions: [],
    ...overrides,
  };
}

function input(findings: Finding[]): ReportInput {
  return { root: '/repo', model: sqlModel([unit('a'), unit('b')], [], {}), findings, rules: [], stats: { files: 0, manifests: 0 } };
}

describe('@actions/core escaping', () => {
  it('escapes %, CR and LF in the message', () => {
    expect(escapeData('line1\nline2 50%')).toBe('line1%0Aline2 50%25');
    expect(escapeData('a\r\nb: c, d')).toBe('a%0D%0Ab: c, d');
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('also escapes : and , in property values', () => {
    expect(escapeProperty('src/a,b:c.ts')).toBe('src/a%2Cb%3Ac.ts');
    expect(escapeProperty('50%\r\n:,')).toBe('50%25%0D%0A%3A%2C');
  });
});

describe('renderGithub', () => {
  it('writes one ::error line per error finding, in the documented property order', () => {
    const out = renderGithub(input([finding({})]), canonicalContext());
    expect(out).toBe('::error file=a/Cargo.toml,line=6,endLine=6,col=1,endColumn=10,title=no-cycles::dependency cycle between services: a → b → a\n');
  });

  it('maps warnings to ::warning and info to ::notice', () => {
    const out = renderGithub(
      input([
        finding({ ruleId: 'unowned-table', severity: 'warning', message: 'w', location: { file: 'x.sql', line: 1, column: 14 } }),
        finding({ ruleId: 'no-cycles', severity: 'info', message: 'i', location: { file: 'y.rs', line: 2, column: 3, endLine: 2, endColumn: 5 } }),
      ]),
      canonicalContext(),
    ).split('\n');
    expect(out).toEqual([
      '::warning file=x.sql,line=1,endLine=1,col=14,title=unowned-table::w',
      '::notice file=y.rs,line=2,endLine=2,col=3,endColumn=5,title=no-cycles::i',
      '',
    ]);
  });

  it('escapes the message and the file property (%, CR, LF, :, ,) and appends the related evidence as lines', () => {
    const out = renderGithub(
      input([
        finding({
          message: 'line1\nline2 50%\rend: a, b',
          location: { file: 'src/a,b:c.rs', line: 3, column: 1, endLine: 3, endColumn: 9 },
          related: [{ message: 'b → a (crate)', location: { file: 'b/Cargo.toml', line: 7, column: 1 } }],
        }),
      ]),
      canonicalContext(),
    );
    expect(out).toBe(
      '::error file=src/a%2Cb%3Ac.rs,line=3,endLine=3,col=1,endColumn=9,title=no-cycles::line1%0Aline2 50%25%0Dend: a, b%0Anote: b → a (crate) at b/Cargo.toml:7:1\n',
    );
  });

  it('drops the columns of a span over several lines (the Checks API takes columns only on one line)', () => {
    const out = renderGithub(input([finding({ location: { file: 'a.rs', line: 3, column: 5, endLine: 6, endColumn: 2 } })]), canonicalContext());
    expect(out.split('::')[1]).toBe('error file=a.rs,line=3,endLine=6,title=no-cycles');
  });

  it('shows other control characters instead of passing them to the log', () => {
    const out = renderGithub(input([finding({ message: 'table "tmp\u001b[31m_export"' })]), canonicalContext());
    expect(out).toContain('::table "tmp\\u001b[31m_export"\n');
    expect(out).not.toContain('\u001b');
  });

  it('gives paths relative to the current directory', () => {
    const out = renderGithub(input([finding({})]), canonicalContext({ cwd: '/' }));
    expect(out).toMatch(/^::error file=repo\/a\/Cargo\.toml,/);
  });

  it('annotates only open findings (not suppressed, not known from the baseline)', () => {
    const out = renderGithub(
      input([
        finding({ message: 'known', baselineState: 'unchanged' }),
        finding({ message: 'silenced', suppressed: { reason: 'r', location: { file: 'a.rs', line: 1, column: 1 } } }),
        finding({ message: 'new one', baselineState: 'new' }),
      ]),
      canonicalContext(),
    );
    expect(out).toBe('::error file=a/Cargo.toml,line=6,endLine=6,col=1,endColumn=10,title=no-cycles::new one\n');
  });

  it('prints nothing for a clean run', () => {
    expect(renderGithub(input([]), canonicalContext())).toBe('');
  });
});
