// TypeScript benchmark: boundary-lint vs dependency-cruiser on one generated pnpm monorepo
// (docs/benchmarks.md, "TypeScript monorepo vs dependency-cruiser"). Called by scripts/bench.mjs
// with `--lang ts` (`npm run bench:ts`).
//
// Both tools parse every .ts file and resolve every import of the same tree, then look for
// cycles: boundary-lint between workspace units (`no-cycles` between units, file-level evidence),
// dependency-cruiser between modules (its `no-circular` rule). Each run is a fresh `node`
// process; the two tools alternate so that load from other work on the machine hits both alike.
// A warm-up run of each writes its JSON report, which is checked (modules, imports, cycles found)
// and summarised so the reader sees that both did the work; the timed runs write to /dev/null.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as generator from './generate-ts.mjs';
import { childEnv, childEnvNote, ensureTree, fmtInt, machineSummary, median, round1, spawnTimed } from './common.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Read from node_modules directly: some packages' `exports` do not expose package.json.
const packageFile = (name) => path.join(repoRoot, 'node_modules', name, 'package.json');

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(packageFile(name), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** The depcruise bin, run with `node` directly (npx adds ~0.3-0.5 s of its own per run). */
function depcruiseBin() {
  const pkgFile = packageFile('dependency-cruiser');
  if (!existsSync(pkgFile)) throw new Error('dependency-cruiser is not installed: run `npm ci` (it is a devDependency)');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  return { bin: path.join(path.dirname(pkgFile), pkg.bin.depcruise), version: pkg.version };
}

function gnuTime() {
  if (!existsSync('/usr/bin/time')) return undefined;
  const probe = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' });
  return probe.status === 0 && /\d+\s*$/.test(probe.stderr) ? '/usr/bin/time' : undefined;
}

/** One run in a fresh process: wall ms (around the child), peak RSS KiB, exit code. */
function runOnce({ args, cwd, timeoutMs, time, rssFile }) {
  let command = process.execPath;
  let argv = args;
  if (time) {
    command = time;
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  }
  return spawnTimed({ command, argv, cwd, env: childEnv(), timeoutMs, rssFile });
}

/** Reads boundary-lint's JSON report: what it found, and whether the deliberate cycles are there. */
function checkBoundaryLint(reportFile, stamp) {
  const r = JSON.parse(readFileSync(reportFile, 'utf8'));
  const imports = r.edges.filter((e) => e.kind === 'import');
  const sites = imports.reduce((n, e) => n + e.evidence.length, 0);
  const cycles = r.findings.filter((f) => f.ruleId === 'no-cycles');
  // data.path is "a → b → a": the units of one cycle.
  const cycleUnits = cycles.map((f) => new Set(String(f.data?.path ?? '').split(' → ')));
  const found = stamp.cycles.map((c) => cycleUnits.some((u) => u.has(c.units[0]) && u.has(c.units[1])));
  const t = stamp.typeOnlyBackEdge;
  const typeOnlyCycle = t ? cycleUnits.some((u) => u.has(t.units[0]) && u.has(t.units[1])) : false;
  return {
    units: r.units.length,
    importEdges: imports.length,
    typeOnlyImportEdges: imports.filter((e) => e.typeOnly).length,
    testImportEdges: imports.filter((e) => e.scope === 'test').length,
    importSites: sites,
    packageEdges: r.edges.filter((e) => e.kind === 'package' || e.kind === 'package-dev').length,
    cycles: cycles.length,
    intendedFound: found.filter(Boolean).length,
    intended: stamp.cycles.length,
    typeOnlyCycle,
    diagnostics: r.diagnostics.length,
    ok: found.every(Boolean) && !typeOnlyCycle && r.diagnostics.every((d) => d.severity !== 'warning' && d.severity !== 'error'),
  };
}

/** Reads dependency-cruiser's JSON: modules, resolved dependencies, cycles, deliberate ones found. */
function checkDepcruise(reportFile, stamp) {
  const r = JSON.parse(readFileSync(reportFile, 'utf8'));
  const local = r.modules.filter((m) => /^(apps|packages)\//.test(m.source));
  const deps = local.flatMap((m) => m.dependencies);
  const toLocal = deps.filter((d) => /^(apps|packages)\//.test(d.resolved));
  const unitOf = (file) => file.split('/').slice(0, 2).join('/');
  const cycles = r.summary.violations.filter((v) => v.rule?.name === 'no-circular');
  const cycleDirs = cycles.map((v) => new Set([v.from, ...(v.cycle ?? []).map((c) => c.name)].map(unitOf)));
  // Both unit directories of a deliberate cycle must appear in one reported module cycle.
  const found = stamp.cycles.map((c) => {
    const [a, b] = c.dirs;
    return cycleDirs.some((d) => d.has(a) && d.has(b));
  });
  const t = stamp.typeOnlyBackEdge;
  const typeOnlyCycle = t ? cycleDirs.some((dirs) => dirs.has(t.dirs[0]) && dirs.has(t.dirs[1])) : false;
  return {
    modules: r.summary.totalCruised,
    localModules: local.length,
    dependencies: r.summary.totalDependenciesCruised,
    localDependencies: toLocal.length,
    viaTsconfigPaths: deps.filter((d) => d.dependencyTypes.includes('aliased-tsconfig-paths')).length,
    typeOnly: deps.filter((d) => d.dependencyTypes.includes('type-only')).length,
    unresolved: deps.filter((d) => d.couldNotResolve).length,
    unresolvedLocal: deps.filter((d) => d.couldNotResolve && (d.module.startsWith('.') || d.module.startsWith('@acme/'))).length,
    cycleViolations: cycles.length,
    errors: r.summary.error,
    intendedFound: found.filter(Boolean).length,
    intended: stamp.cycles.length,
    typeOnlyCycle,
    ok: found.every(Boolean) && !typeOnlyCycle && local.length === stamp.stats.tsFiles,
  };
}

export async function benchTs(opts) {
  const scale = opts.scale;
  const { dir, stamp } = ensureTree({ generator, scale, dir: path.join(repoRoot, '.bench', `ts-${scale}`), name: `.bench/ts-${scale}`, label: 'generator-ts', regen: opts.regen });
  const cli = path.join(repoRoot, 'dist/boundary-lint.mjs');
  if (!existsSync(cli)) throw new Error('dist/boundary-lint.mjs is missing: run `npm run build` (npm run bench:ts builds first)');
  const dc = depcruiseBin();
  const time = gnuTime();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bl-bench-ts-'));
  const rssFile = path.join(tmp, 'rss');
  const timeoutMs = opts.timeout * 1000;
  const s = stamp.stats;
  const cpus = os.cpus();
  const rel = path.relative(repoRoot, dir);

  const tools = [
    {
      name: 'boundary-lint',
      version: JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
      cwd: repoRoot,
      args: (out) => [path.join(repoRoot, 'bin/boundary-lint.js'), rel, '-c', path.join(rel, 'boundary.units.json'), '--format', 'json', '-o', out, '--no-cache'],
      display: `node bin/boundary-lint.js ${rel} -c ${rel}/boundary.units.json --format json -o /dev/null --no-cache`,
      okCodes: [0, 1],
    },
    {
      name: 'dependency-cruiser',
      version: dc.version,
      cwd: dir,
      // Timed runs use the `err` reporter (only violations, its default CLI output); the warm-up
      // writes the full JSON for the checks below.
      args: (out, json) => [dc.bin, 'apps', 'packages', '-c', '.dependency-cruiser.json', '-T', json ? 'json' : 'err', '-f', out],
      display: `(cd ${rel} && node ${path.relative(dir, dc.bin)} apps packages -c .dependency-cruiser.json -T err -f /dev/null)`,
      // `err` exits with the number of error-level violations: set from the warm-up's JSON, so
      // a crash (exit 1 or 2) in a timed run is not taken for a result.
      okCodes: null,
    },
  ];

  console.log(`boundary-lint TypeScript bench: scale ${scale} (${rel})`);
  console.log(
    `  input: ${fmtInt(s.files)} files, ${fmtInt(s.tsFiles)} .ts (${fmtInt(s.testFiles)} tests), ${fmtInt(s.tsLines)} TypeScript lines, ` +
      `${s.units} workspace units (${s.apps} apps, ${s.packages} packages), ${(s.bytes / 1048576).toFixed(1)} MB; ` +
      `${stamp.cycles.length} deliberate cycles (${stamp.cycles.map((c) => c.units.join(' <-> ')).join('; ')}), ` +
      `type-only back edge ${stamp.typeOnlyBackEdge ? stamp.typeOnlyBackEdge.units.join(' -> ') : 'none'}`,
  );
  console.log(`  machine: ${machineSummary(cpus)}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  versions: boundary-lint ${tools[0].version} (ts-morph ${packageVersion('ts-morph')}), dependency-cruiser ${dc.version} (typescript ${packageVersion('typescript')})`);
  for (const t of tools) console.log(`  ${t.name}: ${t.display}`);
  console.log(`  ${opts.warmup} warm-up + ${opts.runs} runs each, alternating, fresh processes, timeout ${opts.timeout} s; peak RSS via ${time ? 'GNU time %M' : 'n/a'}`);
  if (childEnvNote()) console.log(`  ${childEnvNote()}`);

  const fail = (message, result) => {
    console.error(`bench: ${message}`);
    if (result?.stderr) console.error(result.stderr.trimEnd());
    rmSync(tmp, { recursive: true, force: true });
    return 1;
  };
  const accept = (t, r) => r.code !== 'timeout' && (t.okCodes ? t.okCodes.includes(r.code) : typeof r.code === 'number' && r.code >= 0 && r.code < 128);

  // Warm-up: the first run of each tool writes JSON, which we check.
  const checks = {};
  for (let i = 0; i < Math.max(1, opts.warmup); i++) {
    for (const t of tools) {
      const out = i === 0 ? path.join(tmp, `${t.name}.json`) : os.devNull;
      const r = await runOnce({ args: t.args(out, i === 0), cwd: t.cwd, timeoutMs, time, rssFile });
      if (!accept(t, r)) return fail(`${t.name} warm-up exited ${r.code}`, r);
      if (i === 0) {
        try {
          checks[t.name] = t.name === 'boundary-lint' ? checkBoundaryLint(out, stamp) : checkDepcruise(out, stamp);
          if (t.name === 'dependency-cruiser') t.okCodes = [checks[t.name].errors % 256];
        } catch (error) {
          return fail(`${t.name}: report not readable (${error.message})`, r);
        }
      }
    }
  }
  const b = checks['boundary-lint'];
  const d = checks['dependency-cruiser'];
  console.log(
    `  boundary-lint did: ${b.units} units, ${fmtInt(b.importSites)} cross-unit import sites -> ${b.importEdges} import edges ` +
      `(${b.typeOnlyImportEdges} type-only, ${b.testImportEdges} test-scope), ${b.packageEdges} package edges; ` +
      `${b.cycles} unit cycles, deliberate ones found ${b.intendedFound}/${b.intended}, type-only back edge in a cycle: ${b.typeOnlyCycle ? 'YES (wrong)' : 'no'}; ${b.diagnostics} diagnostics`,
  );
  console.log(
    `  dependency-cruiser did: ${fmtInt(d.modules)} modules (${fmtInt(d.localModules)} of the tree's ${fmtInt(s.tsFiles)} .ts files), ` +
      `${fmtInt(d.dependencies)} dependencies (${fmtInt(d.localDependencies)} to tree modules, ${fmtInt(d.viaTsconfigPaths)} via tsconfig paths, ` +
      `${fmtInt(d.typeOnly)} type-only, ${fmtInt(d.unresolved)} unresolved externals, ${d.unresolvedLocal} unresolved local); ` +
      `${d.cycleViolations} no-circular violations, deliberate cycles found ${d.intendedFound}/${d.intended}, type-only back edge in a cycle: ${d.typeOnlyCycle ? 'YES (wrong)' : 'no'}`,
  );
  if (!b.ok || !d.ok) return fail(`the tools did not do the expected work (boundary-lint ok: ${b.ok}, dependency-cruiser ok: ${d.ok})`);

  // Start-up baseline.
  const baseline = [];
  for (let i = 0; i < Math.min(opts.runs, 5); i++) baseline.push((await runOnce({ args: ['-e', '0'], cwd: repoRoot, timeoutMs, time, rssFile })).ms);

  const loadBefore = os.loadavg();
  const results = Object.fromEntries(tools.map((t) => [t.name, []]));
  for (let i = 0; i < opts.runs; i++) {
    // Alternate the order too, so neither tool always runs right after the other.
    for (const t of i % 2 ? [...tools].reverse() : tools) {
      const r = await runOnce({ args: t.args(os.devNull, false), cwd: t.cwd, timeoutMs, time, rssFile });
      if (!accept(t, r)) return fail(`${t.name} run ${i + 1} exited ${r.code}`, r);
      results[t.name].push(r);
    }
  }
  const loadAfter = os.loadavg();
  rmSync(tmp, { recursive: true, force: true });

  const stats = {};
  for (const t of tools) {
    const times = results[t.name].map((r) => r.ms);
    const rss = results[t.name].map((r) => r.rssKb).filter((v) => v !== undefined);
    stats[t.name] = {
      medianMs: round1(median(times)),
      minMs: round1(Math.min(...times)),
      maxMs: round1(Math.max(...times)),
      peakRssMB: rss.length ? round1(Math.max(...rss) / 1024) : null,
      exitCodes: [...new Set(results[t.name].map((r) => r.code))],
    };
    const st = stats[t.name];
    console.log(
      `  ${t.name.padEnd(18)} median ${fmtInt(st.medianMs)} ms, min ${fmtInt(st.minMs)}, max ${fmtInt(st.maxMs)} (${times.length} runs); ` +
        `peak RSS ${st.peakRssMB ?? 'n/a'} MB; ${fmtInt(s.tsFiles / (st.medianMs / 1000))} files/s; exit ${st.exitCodes.join(', ')}`,
    );
  }
  const ratio = stats['dependency-cruiser'].medianMs / stats['boundary-lint'].medianMs;
  const nodeStartup = round1(median(baseline));
  console.log(`  ratio (dependency-cruiser median / boundary-lint median): ${ratio.toFixed(2)}x ${ratio >= 1 ? '(boundary-lint faster)' : '(boundary-lint slower)'}`);
  console.log(`  Node start-up (median of \`node -e 0\`): ${nodeStartup} ms; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    JSON.stringify({
      lang: 'ts',
      scale,
      tsFiles: s.tsFiles,
      tsLines: s.tsLines,
      units: s.units,
      runs: opts.runs,
      boundaryLint: stats['boundary-lint'],
      dependencyCruiser: stats['dependency-cruiser'],
      ratio: Math.round(ratio * 100) / 100,
      nodeStartupMs: nodeStartup,
      loadAvg: { before: loadBefore.map(round1), after: loadAfter.map(round1) },
      versions: { dependencyCruiser: dc.version, tsMorph: packageVersion('ts-morph'), typescript: packageVersion('typescript') },
      node: process.version,
      cpus: cpus.length,
      generator: generator.GENERATOR_VERSION,
      seed: stamp.params.seed,
      checks,
    }),
  );
  return 0;
}
