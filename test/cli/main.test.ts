import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo } from '../helpers/repo.js';

const cyclic = {
  'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service"]\n',
  'a-service/Cargo.toml': crate('a-service', '[dependencies]\nb-service = { path = "../b-service" }\n'),
  'a-service/src/main.rs': 'fn main() {}\n',
  'b-service/Cargo.toml': crate('b-service', '[dependencies]\na-service = { path = "../a-service" }\n'),
  'b-service/src/main.rs': 'fn main() {}\n',
};

describe('boundary-lint CLI', () => {
  it('with TIMING=1, lists the time of each stage on stderr and leaves the report alone', async () => {
    const root = writeRepo(cyclic);
    const timed = await runCli(['.', '--format', 'json', '--no-cache'], { cwd: root, env: { TIMING: '1' } });
    expect(timed.code).toBe(1);
    expect(JSON.parse(timed.stdout).findings).toHaveLength(1);
    const table = timed.stderr.slice(timed.stderr.indexOf('Stage'));
    expect(table).toMatch(/^Stage +\| Time \(ms\) \| Relative\n/);
    for (const stage of ['config', 'discover files', 'build the model', '  manifests and units (Cargo, npm, config)', '  Rust sources: module tree, facts, resolvers', '      lex and scan files', '    gRPC', '    SQL sites', 'rules', 'render the report', 'total']) {
      expect(table).toMatch(new RegExp(`\\n${stage.replace(/[()]/g, '\\$&')} +\\| +\\d+\\.\\d \\|`));
    }
    const untimed = await runCli(['.', '--format', 'json', '--no-cache'], { cwd: root, env: { TIMING: '0' } });
    expect(untimed.stderr).not.toContain('Time (ms)');
  });

  it('with BOUNDARY_LINT_RUST_BATCH_FILES, resolves Rust in batches and reports the same', async () => {
    const dependsOnDb = '[dependencies]\ndb = { path = "../db" }\n';
    const root = writeRepo({
      'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service", "db"]\n',
      'a-service/Cargo.toml': crate('a-service', dependsOnDb),
      'a-service/src/main.rs': 'use db::Pool;\nfn main() {}\n',
      'b-service/Cargo.toml': crate('b-service', dependsOnDb),
      'b-service/src/main.rs': 'fn main() { db::connect(); }\n',
      'db/Cargo.toml': crate('db'),
      'db/src/lib.rs': 'pub fn connect() {}\n',
    });
    const single = await runCli(['.', '--format', 'json', '--no-cache'], { cwd: root, env: { TIMING: '1' } });
    const batched = await runCli(['.', '--format', 'json', '--no-cache'], { cwd: root, env: { TIMING: '1', BOUNDARY_LINT_RUST_BATCH_FILES: '1' } });
    expect(single.stderr).not.toContain('batches of leaf units');
    expect(batched.stderr).toMatch(/\n {4}batches of leaf units \(2\) +\|/);
    expect(batched.stdout).toBe(single.stdout);
    // Anything but a positive integer is ignored.
    const ignored = await runCli(['.', '--format', 'json', '--no-cache'], { cwd: root, env: { TIMING: '1', BOUNDARY_LINT_RUST_BATCH_FILES: '0' } });
    expect(ignored.stderr).not.toContain('batches of leaf units');
  });

  it('prints a rustc-like block with a code frame and a summary, and exits 1 on an error finding', async () => {
    const root = writeRepo(cyclic);
    const result = await runCli(['.'], { cwd: root });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('error[no-cycles]: dependency cycle between services: a-service → b-service → a-service');
    expect(lines[1]).toBe(' --> a-service/Cargo.toml:6:1');
    expect(lines[2]).toBe('  |');
    expect(lines[3]).toBe('6 | b-service = { path = "../b-service" }');
    expect(lines[4]).toBe('  | ^^^^^^^^^');
    expect(lines[5]).toBe('  = note: a-service → b-service (crate) at a-service/Cargo.toml:6:1');
    expect(lines[6]).toBe('  = note: b-service → a-service (crate) at b-service/Cargo.toml:6:1');
    expect(result.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\) · 2 units \(2 services\), 2 edges/);
    expect(result.stdout).not.toContain('\u001b['); // not a TTY: no colour
  });

  it('prints paths relative to the cwd so a terminal can open them', async () => {
    const root = writeRepo(cyclic);
    const result = await runCli([path.basename(root), '--format', 'concise'], { cwd: path.dirname(root) });
    expect(result.stdout.split('\n')[0]).toBe(
      `${path.basename(root)}/a-service/Cargo.toml:6:1: error: dependency cycle between services: a-service → b-service → a-service [no-cycles]`,
    );
  });

  it('exits 0 with "no problems" on a clean repository', async () => {
    const root = writeRepo({ ...cyclic, 'b-service/Cargo.toml': crate('b-service') });
    const result = await runCli(['.'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✔ no problems · 2 units \(2 services\), 1 edge/);
  });

  it('exits 2 and names the key on a broken config', async () => {
    const root = writeRepo({ ...cyclic, 'boundary.config.json': '{"rules": {"no-cycle": "error"}}' });
    const result = await runCli(['.'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('rules.no-cycle: unknown key "no-cycle"; did you mean "no-cycles"?');
  });

  it('exits 2 on a usage error and on a missing directory', async () => {
    const root = writeRepo(cyclic);
    expect((await runCli(['--format', 'xml'], { cwd: root })).code).toBe(2);
    expect((await runCli(['--max-warnings', 'many'], { cwd: root })).code).toBe(2);
    const missing = await runCli(['no-such-dir'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-dir is not a directory');
  });

  it('applies --max-warnings to warning findings and --quiet drops them', async () => {
    const root = writeRepo({ ...cyclic, 'boundary.config.json': '{"rules": {"no-cycles": "warn"}}' });
    expect((await runCli(['.'], { cwd: root })).code).toBe(0);
    const strict = await runCli(['.', '--max-warnings', '0'], { cwd: root });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('too many warnings (maximum: 0)');
    const quiet = await runCli(['.', '--quiet', '--max-warnings', '0'], { cwd: root });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^✔ no problems/);
  });

  it('writes the report to -o and the summary to stderr', async () => {
    const root = writeRepo(cyclic);
    const result = await runCli(['.', '--format', 'json', '-o', 'out/report.json'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/✖ 1 problem/);
    const report = JSON.parse(readFileSync(path.join(root, 'out/report.json'), 'utf8'));
    expect(report.version).toBe(1);
    expect(report.findings[0].ruleId).toBe('no-cycles');
  });

  it('colours on a TTY unless NO_COLOR is set, and FORCE_COLOR colours a pipe', async () => {
    const root = writeRepo(cyclic);
    expect((await runCli(['.'], { cwd: root, tty: true })).stdout).toContain('\u001b[');
    expect((await runCli(['.'], { cwd: root, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(['.'], { cwd: root, env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[');
    expect((await runCli(['.', '--no-color'], { cwd: root, env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('keeps JSON on stdout clean and the summary on stderr', async () => {
    const root = writeRepo(cyclic);
    const result = await runCli(['.', '--format', 'json'], { cwd: root });
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stderr).toMatch(/✖ 1 problem/);
  });
});
