import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'bin/boundary-lint.js');

function lint(args: string[], cwd = repo): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('the built CLI on the bundled fixtures', () => {
  it('has been built (npm run build; npm ci does it through prepare)', () => {
    expect(existsSync(path.join(repo, 'dist/src/cli/main.js'))).toBe(true);
  });

  it('exits 1 on the before-state fixture and names the cycle', () => {
    const result = lint(['fixtures/repos/nova-before']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error[no-cycles]: dependency cycle between services: media-service → video-service → media-service');
    expect(result.stdout).toMatch(/✖ \d+ problems? \(\d+ errors?/);
  });

  it('exits 0 on the after-state fixture, with and without test scope', () => {
    expect(lint(['fixtures/repos/nova-after']).code).toBe(0);
    expect(lint(['fixtures/repos/nova-after', '--include-tests']).code).toBe(0);
  });

  it('exits 2 with what to do when Node runs without WebAssembly (--jitless)', () => {
    const result = spawnSync(process.execPath, ['--jitless', bin, 'fixtures/repos/nova-before', '--no-cache'], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('boundary-lint: this Node process has WebAssembly disabled');
    expect(result.stderr).toContain('without --jitless');
    expect(result.stderr).not.toContain('This is a bug');
  });

  it('exits 2 on a broken config and names the key', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boundary-bin-'));
    const config = path.join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ rules: { 'no-cycles': ['error', { between: 'crates' }] } }));
    const result = lint(['fixtures/repos/nova-before', '-c', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('rules.no-cycles[1].between');
    expect(result.stderr).toContain('allowed: one of "services", "units"');
  });

  it('writes SARIF with -o and JSON to stdout', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boundary-bin-'));
    const out = path.join(dir, 'out.sarif');
    expect(lint(['fixtures/repos/nova-before', '--format', 'sarif', '-o', out]).code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const json = JSON.parse(lint(['fixtures/repos/nova-before', '--format', 'json']).stdout);
    expect(json.version).toBe(1);
  });

  it('prints the version and help, exit 0', () => {
    const version = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version;
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(version);
    expect(lint(['--help']).stdout).toContain('--max-warnings');
  });

  it('is deterministic: same input, same bytes', () => {
    const first = lint(['fixtures/repos/nova-before', '--format', 'json']).stdout;
    const second = lint(['fixtures/repos/nova-before', '--format', 'json']).stdout;
    expect(second).toBe(first);
  });
});
