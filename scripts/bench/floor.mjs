#!/usr/bin/env node
// The floor of a cold run: what its building blocks cost on their own, each in a fresh process,
// on a benchmark tree (see docs/benchmarks.md, "How far the cold target is").
//
//   npm run build && node scripts/bench/floor.mjs [--scale small|target|10x] [--runs N]
//
// Each step is one child process timed from outside, like scripts/bench.mjs times the CLI, so
// every figure includes Node's own start-up; the "beyond Node" column subtracts the median of
// `node -e 0`. The steps are cumulative where it says so (read, then read + lex, ...). The SQL
// steps parse exactly the distinct statement texts a real run passes to libpg-query, recorded
// once by this script with a wrapped parseSync. Nothing is asserted; figures are medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnv, childEnvNote, median } from './common.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const scale = option('--scale', 'target');
const runs = Number(option('--runs', '7'));
const tree = path.join(repoRoot, '.bench', scale);
const dist = (file) => pathToFileURL(path.join(repoRoot, 'dist', file)).href;

// Record the statements a run parses: libpg-query is CommonJS, so wrapping its exports before
// the model imports it makes the run call the wrapper.
const require = createRequire(path.join(repoRoot, 'package.json'));
const pg = require('libpg-query');
const parseSync = pg.parseSync;
const statements = new Set();
pg.parseSync = (sql) => {
  statements.add(sql);
  return parseSync(sql);
};
const { run } = await import(dist('src/run.js'));
await run({ cwd: repoRoot, root: tree });
pg.parseSync = parseSync;
const work = mkdtempSync(path.join(os.tmpdir(), 'bl-floor-'));
const statementsFile = path.join(work, 'statements.json');
writeFileSync(statementsFile, JSON.stringify([...statements]));

// The child programs. `rustFiles()` walks the tree the way discovery does (no ignore rules:
// the benchmark trees have nothing to ignore).
const walk = `
import { readdirSync, readFileSync } from 'node:fs';
const rustFiles = () => { const out = []; const stack = [${JSON.stringify(tree)}];
  while (stack.length) { const dir = stack.pop(); for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = dir + '/' + e.name; if (e.isDirectory()) stack.push(p); else if (p.endsWith('.rs')) out.push(p); } }
  return out; };`;
const loadPg = `
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
setFlagsFromString('--liftoff-only');
const pg = createRequire(${JSON.stringify(path.join(repoRoot, 'package.json'))})('libpg-query');
await pg.loadModule();`;
const steps = [
  ['Node start-up (node -e 0)', '0'],
  ['load the CLI bundle', `await import(${JSON.stringify(dist('boundary-lint.mjs'))});`],
  ['walk + read the .rs files', `${walk} for (const f of rustFiles()) readFileSync(f, 'utf8');`],
  ['... + lex them', `${walk} const { lexRust } = await import(${JSON.stringify(dist('src/scan/rust/lexer.js'))});
    for (const f of rustFiles()) lexRust(readFileSync(f, 'utf8'));`],
  ['... + scan them into facts', `${walk} const { scanRustFile } = await import(${JSON.stringify(dist('src/scan/rust/facts.js'))});
    for (const f of rustFiles()) scanRustFile(f, readFileSync(f, 'utf8'));`],
  ['load libpg-query', loadPg],
  [`... + parse the run's ${statements.size} distinct statements`, `${loadPg}
    import { readFileSync } from 'node:fs';
    for (const sql of JSON.parse(readFileSync(${JSON.stringify(statementsFile)}, 'utf8'))) { try { pg.parseSync(sql); } catch {} }`],
];

function time(argv) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const rows = [];
for (const [label, program] of steps) {
  const argv = program === '0' ? ['-e', '0'] : ['--input-type=module', '-e', program];
  rows.push([label, median(Array.from({ length: runs }, () => time(argv)))]);
}
// The whole pipeline with no warm-up left: one process runs it `runs` times (no cache) and the
// median of the later half is taken, when V8 has optimised it and libpg-query is loaded. No
// change around the JavaScript can make a cold run cheaper than this.
const warmLoop = `
  const { run } = await import(${JSON.stringify(dist('src/run.js'))});
  const times = [];
  for (let i = 0; i < ${Math.max(runs, 4)}; i++) {
    const started = performance.now();
    await run({ cwd: ${JSON.stringify(repoRoot)}, root: ${JSON.stringify(tree)}, includeTests: false });
    times.push(performance.now() - started);
  }
  const later = times.slice(times.length >> 1).sort((a, b) => a - b);
  process.stdout.write(String(later[(later.length - 1) >> 1]));`;
const warmInProcess = spawnSync(process.execPath, ['--input-type=module', '-e', warmLoop], { env: childEnv(), encoding: 'utf8' });
if (warmInProcess.status !== 0) throw new Error(`the in-process loop failed: ${warmInProcess.stderr}`);
const cli = path.join(repoRoot, 'bin/boundary-lint.js');
rows.push(['the full cold run (CLI, --no-cache)', median(Array.from({ length: runs }, () => time([cli, tree, '--format', 'json', '-o', os.devNull, '--no-cache'])))]);
rmSync(work, { recursive: true, force: true });

const node = rows[0][1];
console.log(`boundary-lint floor: scale ${scale} (${tree}), medians of ${runs} fresh processes each`);
if (childEnvNote()) console.log(childEnvNote());
console.log(`${'step'.padEnd(58)} ${'wall ms'.padStart(8)} ${'beyond Node'.padStart(12)}`);
for (const [label, ms] of rows) console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(8)} ${(ms - node).toFixed(0).padStart(12)}`);
console.log(`${'the pipeline JIT-warm in one process (no Node, no load)'.padEnd(58)} ${''.padStart(8)} ${Number(warmInProcess.stdout).toFixed(0).padStart(12)}`);
