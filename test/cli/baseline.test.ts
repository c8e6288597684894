import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo, type FileMap } from '../helpers/repo.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const SQLX = '[dependencies]\nsqlx = "0.7"\n';

/** feed-service reads users (user-service's) in three places; analytics-service writes posts (content-service's). */
function before(): FileMap {
  return {
    'Cargo.toml': '[workspace]\nmembers = ["user-service", "content-service", "feed-service", "analytics-service"]\n',
    'user-service/Cargo.toml': crate('user-service', SQLX),
    'user-service/src/main.rs': 'fn main() {}\n',
    'user-service/migrations/001_users.sql': 'CREATE TABLE users (id bigint primary key, name text, email text);\n',
    'content-service/Cargo.toml': crate('content-service', SQLX),
    'content-service/src/main.rs': 'fn main() {}\n',
    'content-service/migrations/001_posts.sql': 'CREATE TABLE posts (id bigint primary key, author bigint);\nCREATE TABLE likes (post bigint, user_id bigint);\n',
    'feed-service/Cargo.toml': crate('feed-service', SQLX),
    'feed-service/src/main.rs': [
      'fn main() {}',
      'async fn author(pool: &PgPool) {',
      '    sqlx::query!("SELECT id FROM users WHERE id = $1", 1).fetch_one(pool).await;',
      '}',
      'async fn names(pool: &PgPool) {',
      '    sqlx::query!("SELECT name FROM users").fetch_all(pool).await;',
      '}',
      'async fn emails(pool: &PgPool) {',
      '    sqlx::query!("SELECT email FROM users").fetch_all(pool).await;',
      '}',
      '',
    ].join('\n'),
    'analytics-service/Cargo.toml': crate('analytics-service', SQLX),
    'analytics-service/src/main.rs': 'fn main() {}\nasync fn bump(pool: &PgPool) {\n    sqlx::query!("UPDATE posts SET author = 0").execute(pool).await;\n}\n',
  };
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const absolute = path.join(root, file);
  writeFileSync(absolute, change(readFileSync(absolute, 'utf8')));
}

function baselineOf(root: string): { version: number; findings: { ruleId: string; message: string; evidence: { file: string; text: string }[] }[] } {
  return JSON.parse(readFileSync(path.join(root, '.boundary-baseline.json'), 'utf8'));
}

const lint = (root: string, ...args: string[]) => runCli(['.', '--no-cache', '--format', 'concise', ...args], { cwd: root });

describe('baseline: a ratchet from before to after', () => {
  it('records the before state, then fails only on new or grown findings, reports fixed ones and shrinks', async () => {
    const root = writeRepo(before());

    // Before: two violations; recorded, the gate passes.
    expect((await lint(root)).code).toBe(1);
    const written = await lint(root, '--write-baseline');
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('wrote 2 findings to the baseline .boundary-baseline.json');
    expect(written.stdout).toMatch(/✔ no new problems · baseline: 0 new, 0 grown, 2 known, 0 fixed/);
    const recorded = readFileSync(path.join(root, '.boundary-baseline.json'), 'utf8');
    expect(recorded).not.toMatch(/"line"|:\d+:\d+/);
    expect(baselineOf(root).findings.map((f) => f.message)).toEqual([
      'analytics-service writes posts, which content-service owns (1 statement)',
      'feed-service reads users, which user-service owns (3 statements)',
    ]);
    // Same findings, same bytes.
    await lint(root, '--write-baseline');
    expect(readFileSync(path.join(root, '.boundary-baseline.json'), 'utf8')).toBe(recorded);

    const known = await lint(root);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^✔ no new problems · baseline: 0 new, 0 grown, 2 known, 0 fixed/);

    // Moving code (blank lines above, re-indenting) changes nothing.
    edit(root, 'feed-service/src/main.rs', (t) => `\n\n\n${t.replace('    sqlx::query!("SELECT name', '        sqlx::query!("SELECT name')}`);
    edit(root, 'analytics-service/src/main.rs', (t) => `// analytics\n\n${t}`);
    const moved = await lint(root);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/baseline: 0 new, 0 grown, 2 known, 0 fixed/);

    // Halfway, step 1: one new cross-service query fails, and only it is reported.
    edit(root, 'feed-service/src/main.rs', (t) => `${t}async fn likes(pool: &PgPool) {\n    sqlx::query!("SELECT post FROM likes").fetch_all(pool).await;\n}\n`);
    const added = await lint(root);
    expect(added.code).toBe(1);
    const reported = added.stdout.split('\n').filter((l) => l.includes(': error: '));
    expect(reported).toEqual([expect.stringContaining('feed-service reads likes, which content-service owns (1 statement) [no-cross-service-db]')]);
    expect(added.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\) · baseline: 1 new, 0 grown, 2 known, 0 fixed/);

    // Step 2: a fourth statement reading an already-baselined table fails as grown.
    edit(root, 'feed-service/src/main.rs', (t) => `${t}async fn count(pool: &PgPool) {\n    sqlx::query!("SELECT count(*) FROM users").fetch_one(pool).await;\n}\n`);
    const grown = await runCli(['.', '--no-cache'], { cwd: root });
    expect(grown.code).toBe(1);
    expect(grown.stdout).toContain('error[no-cross-service-db]: feed-service reads users, which user-service owns (4 statements)');
    expect(grown.stdout).toMatch(/= note: grown since the baseline: new evidence at feed-service\/src\/main\.rs:\d+:18/);
    expect(grown.stdout).toMatch(/baseline: 1 new, 1 grown, 1 known, 0 fixed/);
    // --update-baseline never adds: the grown finding keeps failing.
    const notAdded = await lint(root, '--update-baseline');
    expect(notAdded.code).toBe(1);
    expect(notAdded.stdout).toContain('is up to date (--update-baseline never adds findings');
    expect(readFileSync(path.join(root, '.boundary-baseline.json'), 'utf8')).toBe(recorded);

    // SARIF: baselineState on every result.
    const sarif = await runCli(['.', '--no-cache', '--format', 'sarif'], { cwd: root });
    const log = JSON.parse(sarif.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    expect(log.runs[0]!.results!.map((r) => [r.message.text!.split(' (')[0], r.baselineState])).toEqual([
      ['analytics-service writes posts, which content-service owns', 'unchanged'],
      ['feed-service reads users, which user-service owns', 'updated'],
      ['feed-service reads likes, which content-service owns', 'new'],
    ]);

    // After: the new query and the fourth statement go, analytics stops writing posts.
    edit(root, 'feed-service/src/main.rs', (t) => t.slice(0, t.indexOf('async fn likes')));
    edit(root, 'analytics-service/src/main.rs', (t) => t.replace('UPDATE posts SET author = 0', 'SELECT 1'));
    const fixed = await lint(root);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/baseline: 0 new, 0 grown, 1 known, 1 fixed/);
    expect(fixed.stdout).toContain('1 fixed since baseline: run --update-baseline');
    const fixedSarif = JSON.parse((await runCli(['.', '--no-cache', '--format', 'sarif'], { cwd: root })).stdout) as Sarif.Log;
    expect(sarifSchemaErrors(fixedSarif)).toEqual([]);
    expect(githubProfileProblems(fixedSarif)).toEqual([]);
    const absent = fixedSarif.runs[0]!.results!.filter((r) => r.baselineState === 'absent');
    expect(absent).toHaveLength(1);
    expect(absent[0]).toMatchObject({ ruleId: 'no-cross-service-db', kind: 'pass', level: 'none' });
    expect(absent[0]!.message.text!).toContain('analytics-service writes posts');
    const json = JSON.parse((await runCli(['.', '--no-cache', '--format', 'json'], { cwd: root })).stdout);
    expect(json.baseline.fixed.map((e: { message: string }) => e.message)).toEqual(['analytics-service writes posts, which content-service owns (1 statement)']);
    expect(json.findings.map((f: { baselineState: string }) => f.baselineState)).toEqual(['unchanged']);

    // --update-baseline shrinks the file: the fixed entry goes.
    const updated = await lint(root, '--update-baseline');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('removed 1 fixed finding from the baseline .boundary-baseline.json');
    expect(baselineOf(root).findings.map((f) => f.ruleId)).toEqual(['no-cross-service-db']);
    expect(baselineOf(root).findings[0]!.message).toContain('feed-service reads users');
    expect((await lint(root)).stdout).toMatch(/baseline: 0 new, 0 grown, 1 known, 0 fixed/);

    // One of the three reads goes: update drops its evidence, so bringing it back fails as grown.
    const emails = '    sqlx::query!("SELECT email FROM users").fetch_all(pool).await;\n';
    edit(root, 'feed-service/src/main.rs', (t) => t.replace(emails, ''));
    expect((await lint(root)).stdout).toContain('1 baselined finding lost evidence: run --update-baseline');
    const tightened = await lint(root, '--update-baseline');
    expect(tightened.stdout).toContain('removed 0 fixed findings and 1 piece of gone evidence');
    expect(baselineOf(root).findings[0]!.evidence.map((e) => e.text)).not.toContain('SELECT email FROM users');
    expect(baselineOf(root).findings[0]!.message).toBe('feed-service reads users, which user-service owns (2 statements)');
    edit(root, 'feed-service/src/main.rs', (t) => `${t}async fn emails_again(pool: &PgPool) {\n${emails}}\n`);
    expect((await lint(root)).code).toBe(1);
  });

  it('uses --baseline <file>, ignores the baseline with --no-baseline, and exits 2 on a missing or broken file', async () => {
    const root = writeRepo(before());
    expect((await lint(root, '--write-baseline', 'ci/known.json')).code).toBe(0);
    expect((await lint(root)).code).toBe(1); // the default file does not exist
    expect((await lint(root, '--baseline', 'ci/known.json')).code).toBe(0);
    writeFileSync(path.join(root, '.boundary-baseline.json'), readFileSync(path.join(root, 'ci/known.json')));
    expect((await lint(root)).code).toBe(0);
    const all = await lint(root, '--no-baseline');
    expect(all.code).toBe(1);
    expect(all.stdout).not.toContain('baseline:');

    const missing = await lint(root, '--baseline', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('baseline nope.json not found; record one with --write-baseline');
    writeFileSync(path.join(root, 'broken.json'), '{"version": 7, "findings": []}');
    const broken = await lint(root, '--baseline', 'broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('cannot read the baseline broken.json: unsupported version 7');
    expect((await lint(root, '--write-baseline', '--update-baseline')).code).toBe(2);
    expect((await lint(root, '--no-baseline', '--update-baseline')).code).toBe(2);
  });
});
