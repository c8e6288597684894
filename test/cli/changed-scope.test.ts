import { execFileSync } from 'node:child_process';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticsInScope, findingsInScope, touchesScope } from '../../src/check/report-scope.js';
import { relativeToRoot } from '../../src/cli/git.js';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo } from '../helpers/repo.js';

/** Two independent service pairs: a ↔ b and c ↔ d form cycles when both halves exist. */
const base = {
  'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service", "c-service", "d-service"]\n',
  'a-service/Cargo.toml': crate('a-service', '[dependencies]\nb-service = { path = "../b-service" }\n'),
  'a-service/src/main.rs': 'fn main() {}\n',
  'b-service/Cargo.toml': crate('b-service'),
  'b-service/src/main.rs': 'fn main() {}\n',
  'c-service/Cargo.toml': crate('c-service', '[dependencies]\nd-service = { path = "../d-service" }\n'),
  'c-service/src/main.rs': 'fn main() {}\n',
  'd-service/Cargo.toml': crate('d-service', '[dependencies]\nc-service = { path = "../c-service" }\n'),
  'd-service/src/main.rs': 'fn main() {}\n',
};
const aCycle = crate('b-service', '[dependencies]\na-service = { path = "../a-service" }\n');

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
}

/** The base repository committed on `main`, with the c ↔ d cycle already there. */
function gitRepo(): string {
  const root = writeRepo(base);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

const loc = (file: string) => ({ file, line: 1, column: 1 });

describe('report scope (pure)', () => {
  const cycle = { location: loc('a/Cargo.toml'), related: [{ message: 'b → a', location: loc('b/Cargo.toml') }] };
  it('keeps a finding whose primary or related evidence lies in a changed file', () => {
    expect(touchesScope(cycle, new Set(['a/Cargo.toml']))).toBe(true);
    expect(touchesScope(cycle, new Set(['b/Cargo.toml']))).toBe(true);
    expect(touchesScope(cycle, new Set(['c/Cargo.toml']))).toBe(false);
    expect(findingsInScope([cycle, { location: loc('z.rs'), related: [] }], { files: new Set(['b/Cargo.toml']) })).toEqual({ findings: [cycle], outside: 1 });
  });

  it('widens to everything when the config file changed', () => {
    const scope = { files: new Set(['boundary.config.json']), configFile: 'boundary.config.json' };
    expect(findingsInScope([cycle], scope)).toEqual({ findings: [cycle], outside: 0 });
  });

  it('keeps diagnostics in changed files and those without a location', () => {
    const d = [
      { severity: 'error' as const, code: 'x', message: 'in scope', location: loc('a.rs') },
      { severity: 'error' as const, code: 'x', message: 'elsewhere', location: loc('b.rs') },
      { severity: 'error' as const, code: 'x', message: 'nowhere' },
    ];
    expect(diagnosticsInScope(d, { files: new Set(['a.rs']) }).map((x) => x.message)).toEqual(['in scope', 'nowhere']);
  });

  it('maps absolute and relative paths to the analysed root and leaves out what lies outside it', () => {
    const root = realpathSync(writeRepo({ 'svc/a.rs': '' }));
    expect(relativeToRoot([path.join(root, 'svc/a.rs'), 'svc/gone.rs', '../elsewhere.rs', root], root, root)).toEqual({
      inside: ['svc/a.rs', 'svc/gone.rs'],
      outside: ['../elsewhere.rs', root],
    });
  });
});

describe('--staged', () => {
  it('reports only findings with evidence in staged files; exit 0 when the change adds none', async () => {
    const root = gitRepo();
    writeFileSync(path.join(root, 'a-service/src/main.rs'), 'fn main() { println!("hi"); }\n');
    git(root, 'add', 'a-service/src/main.rs');
    const clean = await runCli(['.', '--staged', '--format', 'concise'], { cwd: root });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no problems');
    expect(clean.stdout).toContain('scope: 1 changed file (1 finding elsewhere not shown)');

    writeFileSync(path.join(root, 'b-service/Cargo.toml'), aCycle);
    git(root, 'add', 'b-service/Cargo.toml');
    const blocked = await runCli(['.', '--staged', '--format', 'concise'], { cwd: root });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('a-service → b-service → a-service [no-cycles]');
    expect(blocked.stdout).not.toContain('c-service');
    // The whole repository without a scope still has both cycles.
    expect((await runCli(['.', '--format', 'concise'], { cwd: root })).stdout).toContain('c-service → d-service → c-service');
  });

  it('ignores unstaged changes', async () => {
    const root = gitRepo();
    writeFileSync(path.join(root, 'b-service/Cargo.toml'), aCycle);
    const result = await runCli(['.', '--staged'], { cwd: root });
    expect(result.code).toBe(0);
  });

  it('maps paths from the git top level to an analysed subdirectory', async () => {
    const top = writeRepo(Object.fromEntries(Object.entries(base).map(([f, t]) => [`backend/${f}`, t])));
    git(top, 'init', '-q', '-b', 'main');
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'base');
    writeFileSync(path.join(top, 'backend/b-service/Cargo.toml'), aCycle);
    git(top, 'add', '-A');
    const result = await runCli(['backend', '--staged', '--format', 'concise'], { cwd: top });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('backend/a-service/Cargo.toml');
    expect(result.stdout).not.toContain('c-service');
  });

  it('reports everything when the config file is staged', async () => {
    const root = gitRepo();
    writeFileSync(path.join(root, 'boundary.config.json'), '{"rules": {"no-cycles": "error"}}\n');
    git(root, 'add', 'boundary.config.json');
    const result = await runCli(['.', '--staged', '--format', 'concise'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('c-service → d-service → c-service');
    expect(result.stdout).toContain('scope: everything (boundary.config.json changed)');
  });

  it('exits 2 with a clear message outside a git repository', async () => {
    const root = writeRepo(base);
    const result = await runCli(['.', '--staged'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^boundary-lint: --staged needs git: .* is not inside a git work tree\n$/);
    expect(result.stdout).toBe('');
  });
});

describe('--changed-since', () => {
  it('covers commits since the merge base, uncommitted and untracked files, not changes on the base branch', async () => {
    const root = gitRepo();
    git(root, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(root, 'b-service/Cargo.toml'), aCycle);
    git(root, 'commit', '-q', '-am', 'cycle');
    // A later change on main is not part of the branch.
    git(root, 'checkout', '-q', 'main');
    writeFileSync(path.join(root, 'd-service/Cargo.toml'), crate('d-service', '[dependencies]\nc-service = { path = "../c-service" }\n# on main\n'));
    git(root, 'commit', '-q', '-am', 'main moves on');
    git(root, 'checkout', '-q', 'feature');
    const committed = await runCli(['.', '--changed-since', 'main', '--format', 'concise'], { cwd: root });
    expect(committed.code).toBe(1);
    expect(committed.stdout).toContain('a-service → b-service → a-service');
    expect(committed.stdout).not.toContain('c-service');

    const other = gitRepo();
    git(other, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(other, 'notes.rs'), '// untracked\n');
    writeFileSync(path.join(other, 'd-service/Cargo.toml'), crate('d-service', '[dependencies]\nc-service = { path = "../c-service" }\n# touched\n'));
    const uncommitted = await runCli(['.', '--changed-since', 'main', '--format', 'concise'], { cwd: other });
    expect(uncommitted.code).toBe(1);
    expect(uncommitted.stdout).toContain('c-service → d-service → c-service');
    expect(uncommitted.stdout).toContain('scope: 2 changed files');
  });

  it('exits 2 on an unknown ref', async () => {
    const root = gitRepo();
    const result = await runCli(['.', '--changed-since', 'no-such-branch'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--changed-since needs git: unknown git ref "no-such-branch"');
  });
});

describe('--files (pre-commit and lint-staged pass file names)', () => {
  it('treats the positional arguments as the report scope, relative or absolute', async () => {
    const root = writeRepo({ ...base, 'b-service/Cargo.toml': aCycle });
    const relative = await runCli(['--format', 'concise', '--files', 'a-service/src/main.rs'], { cwd: root });
    expect(relative.code).toBe(0);
    const absolute = await runCli(['--format', 'concise', '--files', path.join(root, 'a-service/src/main.rs'), path.join(root, 'b-service/Cargo.toml')], { cwd: root });
    expect(absolute.code).toBe(1);
    expect(absolute.stdout).toContain('a-service → b-service → a-service');
    expect(absolute.stdout).not.toContain('c-service');
    expect(absolute.stdout).toContain('scope: 2 changed files (1 finding elsewhere not shown)');
  });

  it('takes the root from --root and accepts flags after --files (pre-commit appends args, then the file names)', async () => {
    const root = writeRepo({ ...base, 'b-service/Cargo.toml': aCycle });
    const parent = path.dirname(root);
    const result = await runCli(['--files', '--root', path.basename(root), '--max-warnings', '0', path.join(root, 'd-service/Cargo.toml')], { cwd: parent });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('c-service → d-service → c-service');
    expect(result.stdout).not.toContain('a-service → b-service');
  });

  it('rejects combining scopes and stray arguments without --files (exit 2)', async () => {
    const root = writeRepo(base);
    expect((await runCli(['--staged', '--files', 'a.rs'], { cwd: root })).code).toBe(2);
    const stray = await runCli(['.', 'a.rs'], { cwd: root });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('pass --files');
    expect((await runCli(['.', '--root', '.'], { cwd: root })).code).toBe(2);
    rmSync(root, { recursive: true, force: true });
  });
});
