#!/usr/bin/env node
// Alternating runs of two or more builds of boundary-lint on one tree, the only comparison of
// builds we trust on a machine whose speed drifts (docs/benchmarks.md):
//
//   node scripts/bench/ab.mjs [--rounds 15] [--edit] <tree> <checkout> <checkout> ...
//
// Each checkout is a directory with a built `bin/boundary-lint.js` (for the base commit:
// `git worktree add --detach /tmp/base <rev>`, link node_modules, `npm run build`). Each round
// runs every build once, in order; the figures are medians of wall time, CPU (user + sys) and
// peak RSS, from GNU time. Runs are cold (`--no-cache`) unless `--edit` is given: then each run
// first touches one `.rs` file of the tree and runs with a model cache of its own build, which
// is the run a pre-commit hook makes after an edit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, childEnvNote, median } from './common.mjs';

const args = process.argv.slice(2);
let rounds = 15;
let edit = false;
const positionals = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else if (args[i] === '--edit') edit = true;
  else positionals.push(args[i]);
}
const [tree, ...builds] = positionals.map((p) => path.resolve(p));
if (!tree || builds.length < 2 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node scripts/bench/ab.mjs [--rounds N] [--edit] <tree> <checkout> <checkout> ...');
  process.exit(2);
}
for (const build of builds) if (!existsSync(path.join(build, 'bin/boundary-lint.js'))) throw new Error(`${build} has no bin/boundary-lint.js`);
if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (/usr/bin/time) for CPU and RSS');

/** The first `.rs` file of the tree, in a stable order: the file an `--edit` run touches. */
function firstRustFile(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.rs')) return full;
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      const found = firstRustFile(full);
      if (found) return found;
    }
  }
  return undefined;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'bl-ab-'));
const edited = edit ? firstRustFile(tree) : undefined;
if (edit && !edited) throw new Error(`no .rs file under ${tree}`);
const cacheOf = (i) => ['--cache-location', path.join(work, `cache-${i}`)];

function runOnce(i) {
  if (edited) {
    const now = new Date();
    utimesSync(edited, now, now);
  }
  const report = path.join(work, 'time');
  const cli = [path.join(builds[i], 'bin/boundary-lint.js'), tree, '--format', 'json', '-o', os.devNull, ...(edit ? cacheOf(i) : ['--no-cache'])];
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', report, process.execPath, ...cli], { env: childEnv(), stdio: 'ignore' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${builds[i]} exited ${result.status}`);
  const [wall, user, sys, rssKb] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  return { wall, cpu: user + sys, rss: rssKb / 1024 };
}

try {
  if (edit) builds.forEach((_, i) => runOnce(i)); // prime each build's cache
  const results = builds.map(() => []);
  for (let round = 0; round < rounds; round++) builds.forEach((_, i) => results[i].push(runOnce(i)));
  console.log(`${rounds} alternating ${edit ? `runs after touching ${path.relative(tree, edited)} (cache on)` : 'cold runs (--no-cache)'} on ${tree}`);
  if (childEnvNote()) console.log(childEnvNote());
  builds.forEach((build, i) => {
    const rows = results[i];
    const wall = median(rows.map((r) => r.wall));
    const cpu = median(rows.map((r) => r.cpu));
    const rss = median(rows.map((r) => r.rss));
    console.log(`${build.padEnd(30)} wall ${wall.toFixed(2)} s  cpu ${cpu.toFixed(2)} s  rss ${rss.toFixed(0)} MB`);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
