import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/run.js';
import { crate, writeRepo } from '../helpers/repo.js';

const files = {
  'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service"]\n',
  'a-service/Cargo.toml': crate('a-service', '[dependencies]\nb-service = { path = "../b-service" }\n'),
  'a-service/src/main.rs': 'fn main() {}\n',
  'b-service/Cargo.toml': crate('b-service'),
  'b-service/src/main.rs': 'fn main() {}\n',
  'README.md': 'docs\n',
};

function setup(salt = 'build-1') {
  const root = writeRepo(files);
  const cache = { directory: path.join(root, '.boundary-lint-cache'), salt };
  const lint = (s = salt) => run({ root, cwd: root, includeTests: false, cache: { ...cache, salt: s } });
  /** Plants a marker in the stored model: if a run returns it, the run used the cache. */
  const plant = (): void => {
    const file = path.join(cache.directory, 'model.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored.model.units[0].name = 'from-cache';
    writeFileSync(file, JSON.stringify(stored));
  };
  return { root, cache, lint, plant };
}

describe('model cache', () => {
  it('reuses the model of an unchanged repository, and ignores files that are not inputs', async () => {
    const { root, lint, plant } = setup();
    expect((await lint()).model.units.map((u) => u.name)).toEqual(['a-service', 'b-service']);
    plant();
    writeFileSync(path.join(root, 'README.md'), 'changed docs\n');
    expect((await lint()).model.units[0]!.name).toBe('from-cache');
  });

  it('rebuilds when a source file changes (size or modification time)', async () => {
    const { root, lint, plant } = setup();
    await lint();
    plant();
    const main = path.join(root, 'a-service/src/main.rs');
    const later = new Date(Date.now() + 5000);
    utimesSync(main, later, later);
    expect((await lint()).model.units[0]!.name).toBe('a-service');
  });

  it('rebuilds when the tool build changes, and writes a .gitignore so it is never committed', async () => {
    const { cache, lint, plant } = setup();
    await lint();
    plant();
    expect((await lint('build-2')).model.units[0]!.name).toBe('a-service');
    expect(readFileSync(path.join(cache.directory, '.gitignore'), 'utf8')).toContain('*');
  });

  it('runs uncached when the cache cannot be written', async () => {
    const root = writeRepo(files);
    writeFileSync(path.join(root, 'blocker'), 'a file where the cache directory should be');
    const result = await run({ root, cwd: root, includeTests: false, cache: { directory: path.join(root, 'blocker', 'cache'), salt: 's' } });
    expect(result.findings).toEqual([]);
    expect(result.model.units).toHaveLength(2);
  });
});
