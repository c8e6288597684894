import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { applySuppressions, suppressionsByFile } from '../../src/check/suppressions.js';
import type { Finding } from '../../src/check/types.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { rules as registry } from '../../rules/index.js';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo, type FileMap } from '../helpers/repo.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const SQLX = '[dependencies]\nsqlx = "0.7"\n';

/** a-service ⇄ b-service through Cargo (a cycle), and feed-service reading users from a .sql file and from Rust. */
function repo(cargoComment: string, sqlComment: string, rustComment: string): FileMap {
  return {
    'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service", "user-service", "feed-service"]\n',
    'a-service/Cargo.toml': crate('a-service', `[dependencies]\n${cargoComment}b-service = { path = "../b-service" }\n`),
    'a-service/src/main.rs': 'fn main() {}\n',
    'b-service/Cargo.toml': crate('b-service', '[dependencies]\na-service = { path = "../a-service" }\n'),
    'b-service/src/main.rs': 'fn main() {}\n',
    'user-service/Cargo.toml': crate('user-service', SQLX),
    'user-service/src/main.rs': 'fn main() {}\n',
    'user-service/migrations/001_users.sql': 'CREATE TABLE users (id bigint primary key);\nCREATE TABLE sessions (id bigint primary key);\n',
    'feed-service/Cargo.toml': crate('feed-service', SQLX),
    'feed-service/src/main.rs': `fn main() {}\nasync fn report(pool: &PgPool) {\n    sqlx::raw_sql(include_str!("../queries/report.sql")).execute(pool).await;\n${rustComment}    sqlx::query!("DELETE FROM sessions").execute(pool).await;\n}\n`,
    // Starts with a statement: a file whose text starts with a comment is not taken for SQL (looksLikeSql).
    'feed-service/queries/report.sql': `SELECT 1;\n${sqlComment}SELECT id FROM users;\n`,
  };
}

const lint = (root: string, ...args: string[]) => runCli(['.', '--no-cache', ...args], { cwd: root });

describe('unused-suppression and inline suppressions', () => {
  it('suppresses findings in TOML, SQL and Rust: not counted for the exit code, counted as suppressed in the summary', async () => {
    const bare = writeRepo(repo('', '', ''));
    const unsuppressed = await lint(bare, '--format', 'concise');
    expect(unsuppressed.code).toBe(1);
    expect(unsuppressed.stdout).toMatch(/✖ 3 problems \(3 errors, 0 warnings\)/);

    const root = writeRepo(
      repo(
        '# boundary-lint-disable-next-line no-cycles -- split planned for Q3 (#40)\n',
        '-- boundary-lint-disable-next-line no-cross-service-db -- nightly report, read-only (#41)\n',
        '    // boundary-lint-disable-next-line no-cross-service-db -- session cleanup moves to user-service (#42)\n',
      ),
    );
    const result = await lint(root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✔ no problems · 3 suppressed · /);

    const json = JSON.parse((await lint(root, '--format', 'json')).stdout);
    expect(json.findings.map((f: { ruleId: string; suppressed?: { reason: string; location: { file: string; line: number } } }) => [f.ruleId, f.suppressed?.reason, f.suppressed?.location.file])).toEqual([
      ['no-cycles', 'split planned for Q3 (#40)', 'a-service/Cargo.toml'],
      ['no-cross-service-db', 'nightly report, read-only (#41)', 'feed-service/queries/report.sql'],
      ['no-cross-service-db', 'session cleanup moves to user-service (#42)', 'feed-service/src/main.rs'],
    ]);

    const log = JSON.parse((await lint(root, '--format', 'sarif')).stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.suppressions).toEqual([
        { kind: 'inSource', justification: expect.any(String), location: { physicalLocation: expect.objectContaining({ artifactLocation: expect.anything(), region: expect.anything() }) } },
      ]);
    }
    expect(results.map((r) => r.suppressions![0]!.justification)).toContain('nightly report, read-only (#41)');
  });

  it('reports a suppression that silences nothing as a warning, which --max-warnings 0 turns into a failure', async () => {
    const rules = { rules: { 'no-cycles': 'off', 'no-cross-service-db': 'off' } };
    const clean = writeRepo({ ...repo('', '', '    // boundary-lint-disable-next-line no-cycles -- stale\n'), 'boundary.config.json': JSON.stringify(rules) });
    const warned = await lint(clean, '--format', 'concise');
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(
      'feed-service/src/main.rs:4:5: warning: suppression of no-cycles silences nothing: no no-cycles finding starts on the next line; remove it [unused-suppression]',
    );
    expect((await lint(clean, '--max-warnings', '0')).code).toBe(1);
    // A warm model cache remembers which files hold directives, so nothing is re-read to find them.
    const cold = await runCli(['.', '--format', 'concise'], { cwd: clean });
    const warm = await runCli(['.', '--format', 'concise'], { cwd: clean });
    expect(cold.stdout).toContain('[unused-suppression]');
    expect(warm.stdout.split('\n')[0]).toBe(cold.stdout.split('\n')[0]);
    const log = JSON.parse((await lint(clean, '--format', 'sarif')).stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    expect(log.runs[0]!.results!.map((r) => [r.ruleId, r.level])).toEqual([['unused-suppression', 'warning']]);
  });

  describe('fix suggestions', () => {
    const FILE = 'feed-service/src/main.rs';
    const finding = (ruleId: string, line: number, related: number[] = []): Finding => ({
      ruleId,
      severity: 'error',
      messageId: 'x',
      message: 'x',
      location: { file: FILE, line, column: 5 },
      related: related.map((l) => ({ location: { file: FILE, line: l, column: 5 }, message: 'evidence' })),
      fingerprint: `${ruleId}${line}`,
      data: {},
      suggestions: [],
    });
    const unused = (text: string, findings: Finding[] = []) =>
      applySuppressions(findings, suppressionsByFile([[FILE, text]]), { knownRules: registry, settings: resolveConfig({}, registry).rules })
        .filter((f) => f.ruleId === 'unused-suppression')
        .map((f) => f.suggestions);

    it('deletes the comment line when it silences nothing (safe)', () => {
      expect(unused('fn main() {}\n\n    // boundary-lint-disable-next-line no-cycles -- stale\n    call();\n')).toEqual([[
        { title: 'Remove the suppression comment', applicability: 'safe', edits: [{ file: FILE, range: { startLine: 3, startColumn: 1, endLine: 4, endColumn: 1 }, text: '' }] },
      ]]);
    });

    it('keeps the rules that silence something and drops the others from the comment', () => {
      const text = 'fn main() {}\n    // boundary-lint-disable-next-line no-cycles, no-cross-service-db -- read model (#1)\n    call();\n';
      expect(unused(text, [finding('no-cross-service-db', 3)])).toEqual([[
        {
          title: 'Remove no-cycles from the suppression comment',
          applicability: 'safe',
          edits: [{
            file: FILE,
            range: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 89 },
            text: '// boundary-lint-disable-next-line no-cross-service-db -- read model (#1)',
          }],
        },
      ]]);
    });

    it('says where a misplaced comment belongs, then offers to delete it', () => {
      const text = 'fn main() {}\n    // boundary-lint-disable-next-line no-cycles -- split (#2)\n    call();\n';
      const [suggestions] = unused(text, [finding('no-cycles', 9, [3])]);
      expect(suggestions!.map((s) => [s.applicability, s.title])).toEqual([
        ['display-only', `Move this comment above ${FILE}:9, where the no-cycles finding starts`],
        ['safe', 'Remove the suppression comment'],
      ]);
    });

    it('shows the deletion as a SARIF fix and as a diff in text, only under --fix-suggestions', async () => {
      const rulesOff = { rules: { 'no-cycles': 'off', 'no-cross-service-db': 'off' } };
      const root = writeRepo({ ...repo('', '', '    // boundary-lint-disable-next-line no-cycles -- stale\n'), 'boundary.config.json': JSON.stringify(rulesOff) });
      const plain = JSON.parse((await lint(root, '--format', 'sarif')).stdout) as Sarif.Log;
      expect(plain.runs[0]!.results![0]!.fixes).toBeUndefined();
      const log = JSON.parse((await lint(root, '--format', 'sarif', '--fix-suggestions')).stdout) as Sarif.Log;
      expect(sarifSchemaErrors(log)).toEqual([]);
      expect(githubProfileProblems(log)).toEqual([]);
      expect(log.runs[0]!.results![0]!.fixes).toEqual([
        {
          description: { text: 'Remove the suppression comment' },
          artifactChanges: [{
            artifactLocation: { uri: 'feed-service/src/main.rs', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 4, startColumn: 1, endLine: 5, endColumn: 1 }, insertedContent: { text: '' } }],
          }],
          properties: { applicability: 'safe' },
        },
      ]);
      const text = (await lint(root, '--fix-suggestions', '--no-color')).stdout;
      expect(text).toContain('= help: Remove the suppression comment');
      expect(text).toContain('-    // boundary-lint-disable-next-line no-cycles -- stale');
    });
  });
});
