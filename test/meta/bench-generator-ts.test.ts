/**
 * The TypeScript benchmark generator (scripts/bench/generate-ts.mjs) is deterministic and its
 * deliberate cycles are real: boundary-lint's no-cycles (between units, as in the benchmark's
 * config) finds exactly them on the small tree, and not the type-only back edge.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, paramsFor } from '../../scripts/bench/generate-ts.mjs';
import { run } from '../../src/run.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bl-gen-ts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Hash of every file's relative path and bytes, in sorted order. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  for (const f of files) hash.update(f).update('\0').update(readFileSync(path.join(dir, f))).update('\0');
  return hash.digest('hex');
}

describe('generate-ts', () => {
  const params = paramsFor('small');
  const a = path.join(tmp, 'a');
  const stamp = generate(params, a);

  it('gives the same tree for the same seed and another one for another seed', () => {
    const b = path.join(tmp, 'b');
    generate(params, b);
    expect(treeHash(b)).toBe(treeHash(a));
    const c = path.join(tmp, 'c');
    generate({ ...params, seed: params.seed + 1 }, c);
    expect(treeHash(c)).not.toBe(treeHash(a));
    expect(stamp.stats.tsFiles).toBeGreaterThan(50);
    expect(stamp.cycles.length).toBeGreaterThanOrEqual(2);
    expect(stamp.typeOnlyBackEdge).toBeDefined();
  });

  it('plants cycles that boundary-lint finds between the intended units', async () => {
    const result = await run({ root: a, configPath: path.join(a, 'boundary.units.json'), includeTests: false, cwd: a });
    const cycles = result.findings
      .filter((f) => f.ruleId === 'no-cycles')
      .map((f) => [...new Set(String(f.data?.path).split(' → '))].sort().join(' <-> '))
      .sort();
    expect(cycles).toEqual(stamp.cycles.map((c) => [...c.units].sort().join(' <-> ')).sort());
    // Cross-unit imports resolved, type-only ones among them (the back edge stays out of cycles).
    const imports = result.model.edges.filter((e) => e.kind === 'import');
    const back = stamp.typeOnlyBackEdge!;
    expect(imports.some((e) => e.from === back.units[0] && e.to === back.units[1] && e.typeOnly)).toBe(true);
    expect(result.model.diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error')).toEqual([]);
  }, 10_000);
});
