/**
 * Cargo as the oracle: for every fixture repository cargo can read, the workspace members that
 * `cargo metadata --no-deps --offline` lists are exactly the tool's units, and the path
 * dependencies between them are exactly the tool's crate edges (normal -> crate,
 * dev -> crate-dev, build -> crate-build).
 *
 * `--no-deps` neither resolves nor writes Cargo.lock, and CARGO_TARGET_DIR points to a temporary
 * directory; a Cargo.lock that appears anyway is removed after the run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(repoRoot, 'fixtures', 'repos');

/** Fixtures cargo cannot read, with the reason. */
const SKIPPED: Record<string, string> = {
  'cargo-malformed': 'cargo refuses this workspace by design (it is the no-crash corpus)',
  'ts-workspace': 'a pnpm workspace without Cargo.toml (test/e2e/ts-workspace.test.ts checks it)',
};


function cargoVersion(): string | undefined {
  try {
    return execFileSync('cargo', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

interface CargoDependency {
  name: string;
  rename?: string | null;
  kind: null | 'dev' | 'build';
  path?: string;
}
interface CargoPackage {
  id: string;
  name: string;
  manifest_path: string;
  dependencies: CargoDependency[];
}
interface CargoMetadata {
  packages: CargoPackage[];
  workspace_members: string[];
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Repo-relative POSIX directory, '.' for the root (the tool's Unit.path convention). */
function relativeDir(fixtureRoot: string, absoluteDir: string): string {
  return toPosix(path.relative(fixtureRoot, absoluteDir)) || '.';
}

/** Every Cargo.toml with a `[workspace]` table, found without following symbolic links. */
function workspaceRoots(fixtureRoot: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isSymbolicLink() || entry.name === 'target' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name === 'Cargo.toml') {
        let text: string;
        try {
          text = readFileSync(full, 'utf8');
        } catch {
          continue;
        }
        if (/^\s*\[workspace\]\s*(#.*)?$/m.test(text)) found.push(full);
      }
    }
  };
  walk(fixtureRoot);
  return found.sort();
}

const KIND: Record<string, string> = { normal: 'crate', dev: 'crate-dev', build: 'crate-build' };

const version = cargoVersion();
const fixtures = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  : [];

/** The tool's run on each fixture, computed once up front (run() is asynchronous). */
const toolResults = new Map<string, RunResult>();
for (const name of fixtures) {
  toolResults.set(name, await run({ root: '.', cwd: path.join(fixturesDir, name), includeTests: true }));
}

describe('cargo metadata oracle', () => {
  if (version === undefined) {
    it.skip('cargo is not on PATH, so the cargo-metadata oracle cannot run (install Rust/cargo to enable it)', () => {});
    return;
  }

  const targetDir = mkdtempSync(path.join(tmpdir(), 'boundary-lint-oracle-'));
  const createdLocks: string[] = [];
  afterAll(() => {
    for (const lock of createdLocks) rmSync(lock, { force: true });
    rmSync(targetDir, { recursive: true, force: true });
  });

  for (const name of fixtures) {
    const fixtureRoot = path.join(fixturesDir, name);
    if (SKIPPED[name] !== undefined) {
      it.skip(`${name}: ${SKIPPED[name]}`, () => {});
      continue;
    }

    describe(`fixture ${name} (${version})`, () => {
      const roots = workspaceRoots(fixtureRoot);
      let cached: { members: { name: string; path: string }[]; edges: string[]; workspaces: string[] } | undefined;

      /** Members and member-to-member path dependencies according to cargo, over every workspace. */
      const fromCargo = (): NonNullable<typeof cached> => {
        if (cached) return cached;
        const metadata: CargoMetadata[] = [];
        for (const manifest of roots) {
          const lock = path.join(path.dirname(manifest), 'Cargo.lock');
          const hadLock = existsSync(lock);
          const stdout = execFileSync(
            'cargo',
            ['metadata', '--no-deps', '--offline', '--format-version', '1', '--manifest-path', manifest],
            {
              encoding: 'utf8',
              maxBuffer: 64 * 1024 * 1024,
              stdio: ['ignore', 'pipe', 'pipe'],
              env: { ...process.env, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' },
            },
          );
          if (!hadLock && existsSync(lock)) createdLocks.push(lock);
          metadata.push(JSON.parse(stdout) as CargoMetadata);
        }
        const nameByDir = new Map<string, string>();
        const members: { name: string; path: string }[] = [];
        const memberPackages: CargoPackage[] = [];
        for (const meta of metadata) {
          const ids = new Set(meta.workspace_members);
          for (const pkg of meta.packages) {
            if (!ids.has(pkg.id)) continue;
            const dir = relativeDir(fixtureRoot, path.dirname(pkg.manifest_path));
            if (nameByDir.has(dir)) continue; // the same crate seen from two workspaces counts once
            nameByDir.set(dir, pkg.name);
            members.push({ name: pkg.name, path: dir });
            memberPackages.push(pkg);
          }
        }
        const memberNames = new Set(members.map((m) => m.name));
        const edges = new Set<string>();
        for (const pkg of memberPackages) {
          for (const dep of pkg.dependencies) {
            if (dep.path === undefined) continue;
            const byPath = nameByDir.get(relativeDir(fixtureRoot, dep.path));
            const to = byPath ?? (memberNames.has(dep.name) ? dep.name : undefined);
            if (to === undefined) continue; // a path dependency on a crate that is no workspace member
            edges.add(`${pkg.name} -> ${to} (${KIND[dep.kind ?? 'normal']})`);
          }
        }
        cached = {
          members: members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
          edges: [...edges].sort(),
          workspaces: roots.map((r) => toPosix(path.relative(fixtureRoot, r))),
        };
        return cached;
      };

      const tool = (): RunResult => toolResults.get(name)!;

      it('has at least one workspace cargo can read', () => {
        expect(roots.length).toBeGreaterThan(0);
        expect(() => fromCargo()).not.toThrow();
      });

      it('Rust units are exactly the workspace members cargo lists', () => {
        const expected = fromCargo().members;
        // A mixed repository also has npm package units; cargo knows only the crates.
        const actual = tool()
          .model.units.filter((u) => u.language === 'rust')
          .map((u) => ({ name: u.name, path: u.path }))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        expect({ missing: expected.filter((m) => !actual.some((a) => a.name === m.name && a.path === m.path)),
          extra: actual.filter((a) => !expected.some((m) => m.name === a.name && m.path === a.path)) }).toEqual({
          missing: [],
          extra: [],
        });
      });

      it('crate edges between members are exactly the path dependencies cargo lists', () => {
        const { members, edges } = fromCargo();
        const memberNames = new Set(members.map((m) => m.name));
        const expected = new Set(edges);
        const actual = new Set(
          tool()
            .model.edges.filter((e) => (e.kind === 'crate' || e.kind === 'crate-dev' || e.kind === 'crate-build') && memberNames.has(e.from))
            .map((e) => `${e.from} -> ${e.to} (${e.kind})`),
        );
        expect({
          missing: [...expected].filter((e) => !actual.has(e)).sort(),
          extra: [...actual].filter((e) => !expected.has(e)).sort(),
        }).toEqual({ missing: [], extra: [] });
      });
    });
  }
});
