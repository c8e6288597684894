/**
 * The done-when for the baseline, on a copy of the real before-state fixture: with a
 * written baseline the tool exits 0; one new cross-service query makes it exit 1 naming only that
 * one; removing a baselined violation reports it fixed; --update-baseline shrinks the file.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixture = path.resolve(__dirname, '../../fixtures/repos/nova-before');
const INDEXER = 'backend/search-service/src/indexer.rs';

function copyFixture(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boundary-ratchet-'));
  cpSync(fixture, root, { recursive: true, verbatimSymlinks: true, filter: (source) => !source.includes('.boundary-lint-cache') });
  return root;
}

const lint = (root: string, ...args: string[]) => runCli(['.', '--no-cache', '--format', 'concise', ...args], { cwd: root });
const entries = (root: string): number => (JSON.parse(readFileSync(path.join(root, '.boundary-baseline.json'), 'utf8')) as { findings: unknown[] }).findings.length;

describe('baseline ratchet on the nova-before fixture', () => {
  it('passes with the baseline, fails on exactly one new query, reports a fix, and shrinks', async () => {
    const root = copyFixture();
    expect((await lint(root)).code).toBe(1);
    expect((await lint(root, '--write-baseline')).code).toBe(0);
    const recorded = entries(root);
    expect(recorded).toBeGreaterThan(10);
    expect((await lint(root)).code).toBe(0);

    // Halfway, one step back: search-service starts reading comments (content-service's table).
    const indexer = path.join(root, INDEXER);
    const original = readFileSync(indexer, 'utf8');
    writeFileSync(
      indexer,
      `${original}\npub async fn comment_count(pool: &PgPool) -> sqlx::Result<i64> {\n    sqlx::query_scalar("SELECT count(*) FROM comments").fetch_one(pool).await\n}\n`,
    );
    const added = await lint(root);
    expect(added.code).toBe(1);
    const errorLines = added.stdout.split('\n').filter((line) => line.includes(': error: '));
    expect(errorLines).toEqual([expect.stringContaining('search-service reads comments, which content-service owns (1 statement)')]);

    // Halfway, one step forward: the query goes, and so does the indexer's read of users and posts.
    writeFileSync(indexer, original.replace('FROM posts p JOIN users u ON u.id = p.author_id', 'FROM search_documents p'));
    const fixed = await lint(root);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/\d+ fixed since baseline: run --update-baseline/);

    expect((await lint(root, '--update-baseline')).code).toBe(0);
    expect(entries(root)).toBeLessThan(recorded);
    const after = await lint(root);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toMatch(/fixed since baseline/);
  });
});
