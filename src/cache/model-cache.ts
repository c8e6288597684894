import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Model } from '../model/types.js';
import { digest } from '../util/hash.js';

/** Where the cache lives and what invalidates it besides the files (tool build, config). */
export interface ModelCacheOptions {
  directory: string;
  /** Changes whenever the tool's code changes (a hash of the running bundle). */
  salt: string;
}

export interface CachedModel {
  model: Model;
  stats: { files: number; manifests: number };
  /** Files read for the model whose text holds a suppression directive (src/check/suppressions.ts). */
  suppressionFiles?: string[];
}

/** Manifests (Cargo, npm, pnpm), and files whose presence decides a package's language (tsconfig.json) or kind (Dockerfile). */
const MODEL_INPUT_NAMES = new Set(['package.json', 'pnpm-workspace.yaml', 'tsconfig.json', 'Dockerfile']);
/** JS/TS sources decide the language of npm packages and declared units (and, with the TypeScript scanner, their edges). */
const JS_TS_SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Files whose content (or presence) shapes the model; anything else (README, images) never invalidates it. */
/** Prisma schemas (model -> table), sqlc configs (which queries run where), tsconfig/jsconfig files and their variants (`paths`, `extends`). */
const MODEL_INPUT_PATTERN = /(?:^|\/)(?:[^/]+\.prisma|sqlc\.(?:ya?ml|json)|[tj]sconfig[^/]*\.json)$/;

export function isModelInput(file: string): boolean {
  if (JS_TS_SOURCE.test(file) || MODEL_INPUT_NAMES.has(file.slice(file.lastIndexOf('/') + 1)) || MODEL_INPUT_PATTERN.test(file)) return true;
  return file.endsWith('.rs') || file.endsWith('.proto') || file.endsWith('.sql') || /(^|\/)\.sqlx\/query-[^/]+\.json$/.test(file) || file === 'Cargo.toml' || file.endsWith('/Cargo.toml');
}

/**
 * Key of the model for this repository state: every input file's path, size and modification
 * time (nanoseconds), the resolved config and the tool build. Stat-based, like Ruff's cache, so
 * an unchanged repository is recognised without reading a single source file.
 */
export function modelCacheKey(root: string, files: readonly string[], configFingerprint: string, options: ModelCacheOptions): string {
  const parts: string[] = [options.salt, configFingerprint];
  for (const file of files) {
    if (!isModelInput(file)) continue;
    try {
      // Plain concatenation: `file` is already a normalised repo-relative path, and path.join per file shows in warm runs.
      const stat = statSync(`${root}/${file}`, { bigint: true });
      parts.push(`${file}\u0001${stat.size}\u0001${stat.mtimeNs}`);
    } catch {
      parts.push(`${file}\u0001missing`);
    }
  }
  return digest(parts, 40);
}

const CACHE_FILE = 'model.json';

/** The cached model for `key`, or undefined (missing, stale, or unreadable: never an error). */
export function readCachedModel(options: ModelCacheOptions, key: string): CachedModel | undefined {
  try {
    const text = readFileSync(path.join(options.directory, CACHE_FILE), 'utf8');
    // The key is written first, so a stale model (a run after an edit) is known without parsing it.
    if (!text.startsWith(`{"key":${JSON.stringify(key)},`)) return undefined;
    const stored = JSON.parse(text) as { key: string } & CachedModel;
    return stored.key === key ? { model: stored.model, stats: stored.stats, suppressionFiles: stored.suppressionFiles ?? [] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores the model for `key`. Best effort: a read-only checkout simply runs uncached. The
 * directory gets a `.gitignore` of `*` so it is never committed by accident.
 */
export function writeCachedModel(options: ModelCacheOptions, key: string, value: CachedModel): void {
  // `key` first: readCachedModel compares it before parsing.
  writeCacheFile(options, CACHE_FILE, { key, ...value });
}

/**
 * A value stored under `name` by an earlier run of this build of the tool, whatever the
 * repository looked like then; undefined when there is none (or it is unreadable). The caller
 * checks its shape: the file is outside our control.
 */
export function readCachedValue(options: ModelCacheOptions, name: string): unknown {
  try {
    const stored = JSON.parse(readFileSync(path.join(options.directory, `${name}.json`), 'utf8')) as { salt?: unknown; value?: unknown };
    return stored.salt === options.salt ? stored.value : undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `name` for later runs of this build; best effort, like the model. */
export function writeCachedValue(options: ModelCacheOptions, name: string, value: unknown): void {
  writeCacheFile(options, `${name}.json`, { salt: options.salt, value });
}

function writeCacheFile(options: ModelCacheOptions, file: string, content: unknown): void {
  try {
    mkdirSync(options.directory, { recursive: true });
    writeFileSync(path.join(options.directory, '.gitignore'), '# Created by boundary-lint; safe to delete.\n*\n');
    const temporary = path.join(options.directory, `${file}.${process.pid}.tmp`);
    writeFileSync(temporary, JSON.stringify(content));
    renameSync(temporary, path.join(options.directory, file));
  } catch {
    // Caching is an optimisation; failing to write it must not fail the run.
  }
}
