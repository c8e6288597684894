// What the two benchmarks (scripts/bench.mjs, scripts/bench/ts.mjs) and the two tree generators
// (generate.mjs, generate-ts.mjs) share: seeded randomness, writing and stamping a tree, running
// a timed child process, and the statistics printed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP_FILE = '.bench-stamp.json';

/** Hash of a generator and of this file: any edit to either invalidates trees made by an older copy. */
export function generatorHash(generatorUrl) {
  const hash = createHash('sha256');
  for (const url of [generatorUrl, import.meta.url]) hash.update(readFileSync(fileURLToPath(url)));
  return hash.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32): the same seed gives the same tree.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  shuffle(list) {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  sample(list, n) {
    return this.shuffle(list).slice(0, Math.max(0, Math.min(n, list.length)));
  }
}

// ---------------------------------------------------------------------------------------------
// Trees and their stamps

/** Refuses to wipe a non-empty directory that is not a tree a bench generator wrote. */
function prepareOutDir(outDir) {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(STAMP_FILE)) {
      throw new Error(`${outDir} is not empty and has no ${STAMP_FILE}; refusing to overwrite it`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}

/** Clears a previous generated tree (only one a generator wrote), writes every file in path order, then the stamp. */
export function writeTree(outDir, files, stamp) {
  prepareOutDir(outDir);
  for (const p of [...files.keys()].sort()) {
    const abs = path.join(outDir, p);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, files.get(p));
  }
  writeFileSync(path.join(outDir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

export function readStamp(outDir) {
  const file = path.join(outDir, STAMP_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A scale's parameters with the given overrides (undefined ones ignored). */
export function scaleParams(scales, scale, overrides = {}) {
  const base = scales[scale];
  if (!base) throw new Error(`unknown scale "${scale}" (use ${Object.keys(scales).join(', ')})`);
  return { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

/** A generator's CLI: --scale, --out/-o (or a bare directory), --help, and numeric flags (`--seed` and `numeric`: flag -> key). */
export function parseGeneratorArgs(argv, numeric) {
  const flags = { '--seed': 'seed', ...numeric };
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--scale') out.scale = next();
    else if (a === '--out' || a === '-o') out.out = next();
    else if (Object.hasOwn(flags, a)) out[flags[a]] = Number(next());
    else if (a === '-h' || a === '--help') out.help = true;
    else if (!a.startsWith('-') && out.out === undefined) out.out = a;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

/**
 * Generates the tree unless its stamp says it is already this generator version and these params.
 * `generator` is the generator module; `label` names it in the log line.
 */
export function ensureTree({ generator, scale, dir, name, label, regen }) {
  const params = generator.paramsFor(scale);
  const stamp = generator.readStamp(dir);
  const fresh =
    stamp &&
    stamp.generator === generator.GENERATOR_VERSION &&
    stamp.generatorHash === generator.GENERATOR_HASH &&
    JSON.stringify(stamp.params) === JSON.stringify(params);
  if (fresh && !regen) return { dir, stamp, generated: false };
  const started = performance.now();
  const made = generator.generate(params, dir);
  console.log(`generated ${name} in ${Math.round(performance.now() - started)} ms (${label} v${generator.GENERATOR_VERSION}, seed ${params.seed})`);
  return { dir, stamp: made, generated: true };
}

// ---------------------------------------------------------------------------------------------
// Timed runs and their statistics

/**
 * Runs `command argv` in a fresh process: wall ms (around the child), peak RSS KiB (the last line
 * of `rssFile`, written by GNU time or the RSS probe), exit code ('timeout' when it was ended), stderr.
 */
export function spawnTimed({ command, argv, cwd, env, timeoutMs, rssFile }) {
  rmSync(rssFile, { force: true });
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    // Own process group, so a timeout can end the child and its `node` grandchild (under time).
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 20000) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKb;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      } catch {
        rssKb = undefined;
      }
      // GNU time prefixes "Command exited with non-zero status N" to its -o file; the last line is %M.
      resolve({ ms, rssKb: Number.isFinite(rssKb) ? rssKb : undefined, code: timedOut ? 'timeout' : code ?? signal, stderr });
    });
  });
}

/**
 * The environment of every timed child. `NODE_EXTRA_CA_CERTS` is removed: Node 20 reads and
 * parses that CA bundle while it starts, before any of our code runs (~50 ms on the development
 * sandbox, which sets it for every process), and neither linter opens a TLS connection. Set
 * BENCH_KEEP_ENV=1 to time with the environment as it is.
 */
export function childEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', ...extra };
  if (process.env.BENCH_KEEP_ENV !== '1') delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** The line saying what `childEnv` changed, or undefined when it changed nothing. */
export function childEnvNote() {
  if (process.env.BENCH_KEEP_ENV === '1' || process.env.NODE_EXTRA_CA_CERTS === undefined) return undefined;
  return 'children run without NODE_EXTRA_CA_CERTS (set here; it costs Node ~50 ms of start-up per process; BENCH_KEEP_ENV=1 keeps it)';
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const round1 = (n) => Math.round(n * 10) / 10;
export const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

/** The machine line both benchmarks print: CPUs, memory, Node. */
export function machineSummary(cpus) {
  return `${cpus.length} x ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
}
