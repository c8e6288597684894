import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * The shipped .pre-commit-hooks.yaml, for real: `pre-commit try-repo` installs this repository as
 * a `language: node` hook (npm install, npm pack with `prepare` building dist/, npm install -g)
 * and runs it on a temporary git repository with staged changes.
 *
 * try-repo clones the hook repository at HEAD; when that repository has uncommitted changes it
 * commits the tracked ones (staged and unstaged) to a shadow clone, but never untracked files.
 * So the test snapshots this repository's working tree as it would be committed (`git ls-files
 * --cached --others --exclude-standard`) into a fresh repository and points try-repo at that: the
 * same result on a clean CI clone and in a work tree with new, not yet committed files.
 */

const repo = path.resolve(__dirname, '../..');

function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

const missing = ['pre-commit', 'git', 'npm'].filter((command) => !has(command, ['--version']));
if (missing.length > 0) {
  console.warn(`test/e2e/pre-commit.test.ts skipped: ${missing.join(', ')} not on PATH (.ci/run installs pre-commit with apt-get when it can)`);
}

/** The environment of the child processes: no npm or git variables of the test runner leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|GIT_|INIT_CWD$|NODE_OPTIONS$|VITEST)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=boundary-lint test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv({}),
  });
}

/** Files of this repository as a commit of the work tree would hold them. */
function workingTreeFiles(): string[] {
  try {
    return git(repo, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter((f) => f !== '');
  } catch {
    // Not a git checkout (an unpacked archive): everything but what .gitignore lists.
    const skip = new Set(['.git', 'node_modules', 'dist', 'coverage', '.bench', 'bench-out', '.boundary-lint-cache', 'target']);
    const walk = (dir: string): string[] =>
      readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (skip.has(entry.name)) return [];
        return entry.isDirectory() ? walk(relative) : entry.isFile() ? [relative] : [];
      });
    return walk('');
  }
}

function snapshotOfThisRepository(): string {
  const target = mkdtempSync(path.join(os.tmpdir(), 'boundary-hook-repo-'));
  for (const file of workingTreeFiles()) {
    // fixtures/ is not part of the package and is large; nothing the hook installs reads it.
    if (file.startsWith('fixtures/')) continue;
    const from = path.join(repo, file);
    if (!statSync(from, { throwIfNoEntry: false })?.isFile()) continue; // deleted but still tracked
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    copyFileSync(from, path.join(target, file));
  }
  git(target, 'init', '-q');
  git(target, 'add', '-A');
  git(target, 'commit', '-q', '-m', 'snapshot of the boundary-lint work tree');
  return target;
}

function crate(name: string, dependencies = ''): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${dependencies ? `\n[dependencies]\n${dependencies}` : ''}`;
}

/** A small Cargo workspace: a-service → b-service (fine), and an old c-service ↔ d-service cycle. */
function consumerRepository(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boundary-hook-consumer-'));
  const files: Record<string, string> = {
    'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service", "c-service", "d-service"]\n',
    'a-service/Cargo.toml': crate('a-service', 'b-service = { path = "../b-service" }\n'),
    'a-service/src/main.rs': 'fn main() {}\n',
    'b-service/Cargo.toml': crate('b-service'),
    'b-service/src/main.rs': 'fn main() {}\n',
    'c-service/Cargo.toml': crate('c-service', 'd-service = { path = "../d-service" }\n'),
    'c-service/src/main.rs': 'fn main() {}\n',
    'd-service/Cargo.toml': crate('d-service', 'c-service = { path = "../c-service" }\n'),
    'd-service/src/main.rs': 'fn main() {}\n',
    'README.md': '# consumer\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

/** Runs a command without blocking the worker (a synchronous minute-long spawn starves vitest's RPC). */
function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** The part of pre-commit's output that belongs to one hook (from its status line to the next). */
function sectionOf(output: string, hookName: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${hookName}.`));
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && /^\S.*\.{3,}(Passed|Failed|Skipped)/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe.skipIf(missing.length > 0)(`pre-commit with the shipped hooks${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not on PATH)` : ''}`, () => {
  let hookRepo: string;
  let consumer: string;
  let preCommitHome: string;
  const env = (): NodeJS.ProcessEnv => cleanEnv({ PRE_COMMIT_HOME: preCommitHome, PRE_COMMIT_COLOR: 'never' });

  beforeAll(() => {
    hookRepo = snapshotOfThisRepository();
    consumer = consumerRepository();
    preCommitHome = mkdtempSync(path.join(os.tmpdir(), 'boundary-pre-commit-home-'));
  });

  beforeEach(() => {
    git(consumer, 'reset', '-q', '--hard', 'HEAD');
  });

  // The hook environment holds an npm install; do not leave it in the temp dir.
  afterAll(() => {
    for (const dir of [hookRepo, consumer, preCommitHome]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function stage(file: string, text: string): void {
    writeFileSync(path.join(consumer, file), text);
    git(consumer, 'add', file);
  }

  const closesCycle = crate('b-service', 'a-service = { path = "../a-service" }\n');

  // try-repo installs into a store of its own temporary directory every time, so it runs once,
  // with both hooks (one install); the commits below use an installed config and PRE_COMMIT_HOME.
  it('try-repo: a staged change that closes a cycle is blocked (exit 1); the file-scoped hook names only that cycle', async () => {
    stage('b-service/Cargo.toml', closesCycle);
    const { code, output } = await runAsync('pre-commit', ['try-repo', hookRepo, '--verbose'], consumer, env());
    const scoped = sectionOf(output, 'boundary-lint');
    const whole = sectionOf(output, 'boundary-lint (whole repository)');
    expect(scoped, output).toMatch(/^boundary-lint\.+Failed/);
    expect(scoped).toContain('error: dependency cycle between services: a-service → b-service → a-service [no-cycles]');
    expect(scoped).toContain('scope: 1 changed file (1 finding elsewhere not shown)');
    expect(scoped).not.toContain('c-service →');
    expect(whole, output).toMatch(/^boundary-lint \(whole repository\)\.+Failed/);
    expect(whole).toContain('c-service → d-service → c-service');
    expect(code).toBe(1);
  }, 480_000);

  describe('installed as a git hook from .pre-commit-config.yaml', () => {
    let rev: string;

    beforeAll(async () => {
      git(consumer, 'reset', '-q', '--hard', 'HEAD'); // the try-repo test leaves its change staged
      rev = git(hookRepo, 'rev-parse', 'HEAD').trim();
      writeFileSync(
        path.join(consumer, '.pre-commit-config.yaml'),
        `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: boundary-lint\n`,
      );
      git(consumer, 'add', '.pre-commit-config.yaml');
      git(consumer, 'commit', '-q', '--no-verify', '-m', 'pre-commit config');
      const installed = await runAsync('pre-commit', ['install', '--install-hooks'], consumer, env());
      expect(installed.code, installed.output).toBe(0);
    }, 480_000);

    async function commit(message: string): Promise<{ code: number; output: string; head: string }> {
      const result = await runAsync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-m', message], consumer, env());
      return { ...result, head: git(consumer, 'log', '-1', '--format=%s').trim() };
    }

    it('lets a commit without a violation through, though the repository has an old one elsewhere', async () => {
      stage('a-service/src/main.rs', 'fn main() {\n    println!("hello");\n}\n');
      const result = await commit('harmless');
      expect(result.output).toMatch(/boundary-lint\.+Passed/);
      expect(result.code, result.output).toBe(0);
      expect(result.head).toBe('harmless');
    }, 120_000);

    it('blocks a commit that closes a cycle', async () => {
      stage('b-service/Cargo.toml', closesCycle);
      const result = await commit('cycle');
      expect(result.output).toMatch(/boundary-lint\.+Failed/);
      expect(result.output).toContain('a-service → b-service → a-service [no-cycles]');
      expect(result.code).toBe(1);
      expect(result.head).not.toBe('cycle');
    }, 120_000);

    it('skips the hook when no staged file matches the files: regex', async () => {
      stage('README.md', '# consumer, edited\n');
      const result = await commit('docs');
      expect(result.output).toMatch(/boundary-lint\.+\(no files to check\)Skipped/);
      expect(result.code).toBe(0);
    }, 120_000);
  });

});

describe('the hook manifest', () => {
  const manifest = readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8');

  it('ships the .npmrc fix for npm pack and runs each hook once per commit', () => {
    expect(readFileSync(path.join(repo, '.npmrc'), 'utf8')).toMatch(/^loglevel=silent$/m);
    expect(manifest.match(/^ {2}require_serial: true$/gm)).toHaveLength(2);
    expect(manifest.match(/^ {2}language: node$/gm)).toHaveLength(2);
  });

  it('selects the files boundary-lint reads with a files: regex', () => {
    const pattern = /^ {2}files: '(.*)'$/m.exec(manifest)?.[1];
    expect(pattern).toBeDefined();
    // pre-commit uses Python's re.search; this pattern means the same in JavaScript.
    const files = new RegExp(pattern!);
    for (const file of [
      'src/main.rs', 'a-service/build.rs', 'migrations/0001_init.sql', 'proto/feed.proto', 'Cargo.toml', 'backend/x/Cargo.toml', 'boundary.config.json', 'packages/db/package.json', 'pnpm-workspace.yaml',
      // TypeScript and JavaScript sources and what they read: a commit touching only these must run the hook too.
      'apps/gateway/src/server.ts', 'apps/web/src/App.tsx', 'packages/db/src/index.mts', 'packages/db/src/legacy.cts', 'tools/seed.js', 'tools/seed.mjs', 'tools/seed.cjs', 'apps/web/src/Widget.jsx',
      'apps/worker/prisma/schema.prisma', 'apps/worker/sqlc.yaml', 'db/sqlc.yml', 'sqlc.json', 'tsconfig.json', 'apps/gateway/tsconfig.base.json',
    ]) {
      expect(files.test(file), file).toBe(true);
    }
    for (const file of ['README.md', 'Cargo.lock', 'notCargo.toml', 'x.rs.orig', 'package-lock.json', 'my-boundary.config.json', 'src/types.d.ts.map', 'styles.css', 'mysqlc.yaml', 'app.ts.orig']) {
      expect(files.test(file), file).toBe(false);
    }
  });
});
