import path from 'node:path';
import { loadConfig } from './config/load.js';
import type { ResolvedConfig } from './config/resolve.js';
import { discoverFiles, readRepositoryText } from './discover/files.js';
import { modelCacheKey, readCachedModel, readCachedValue, writeCachedModel, writeCachedValue, type ModelCacheOptions } from './cache/model-cache.js';
import type { Model } from './model/types.js';
import { runRules } from './check/run-rules.js';
import { applySuppressions, mayHoldSuppressions, suppressionsByFile } from './check/suppressions.js';
import type { Finding, Rule } from './check/types.js';
import { compareStrings } from './util/location.js';
import { rules as builtInRules } from '../rules/index.js';
import { buildGraphView, pairKey, type GraphView, type GraphViewOptions } from './graph/view.js';
import { explainUnit, type UnitExplanation } from './graph/explain.js';
import type { EdgeKind } from './model/types.js';
import { configFileOf, configLocations } from './run/config-locations.js';
import { noTiming, type StageTimer } from './util/timing.js';

export interface RunOptions {
  /** Directory to analyse (absolute or relative to `cwd`). */
  root: string;
  /** `-c`: explicit config file. */
  configPath?: string;
  /** `--include-tests`: test-scope facts take part in the rules. */
  includeTests: boolean;
  cwd: string;
  /** Reuse the model of an unchanged repository (stat-based key); off when absent. */
  cache?: ModelCacheOptions;
  /** Receives the wall time of each stage (`TIMING=1`); nothing is timed when absent. */
  timer?: StageTimer;
  /** Leaf-unit Rust files resolved at once (memory against time; the model is the same). */
  rustFilesPerBatch?: number;
}

export interface RunResult {
  /** Absolute real path of the analysed root; every location is relative to it. */
  root: string;
  config: ResolvedConfig;
  model: Model;
  findings: Finding[];
  /** The rules that were enabled, for reporters' metadata. */
  rules: readonly Rule<any, string>[];
  stats: { files: number; manifests: number };
}

export const allRules: readonly Rule<any, string>[] = builtInRules;

/** The model cache's entry for statement analyses (src/scan/sql/stored-analyses.ts). */
const STATEMENT_ANALYSES = 'statement-analyses';

/** The whole pipeline: config, discover, scan, model, rules. Pure apart from reading the repository. */
export async function run(options: RunOptions): Promise<RunResult> {
  const timer = options.timer ?? noTiming;
  const requestedRoot = path.resolve(options.cwd, options.root);
  const config = timer.time('config', () => loadConfig(requestedRoot, options.configPath, allRules, options.cwd));
  const repository = timer.time('discover files', () => discoverFiles(requestedRoot, config.ignore));
  const cacheKey = options.cache ? timer.time('model cache: key', () => modelCacheKey(repository.root, repository.files, JSON.stringify(config), options.cache!)) : undefined;
  let built = options.cache && cacheKey ? timer.time('model cache: read', () => readCachedModel(options.cache!, cacheKey)) : undefined;
  if (!built) {
    // Scanners load only on a cache miss (src/run/build-model.ts is a separate chunk of the bundle).
    const { buildModel, analysesFromStored, storedAnalysesOf } = await timer.timeAsync('load the model builder', () => import('./run/build-model.js'));
    // The repository changed since the cached model, but most of its SQL usually did not.
    const knownAnalyses = options.cache ? timer.time('model cache: statement analyses', () => analysesFromStored(readCachedValue(options.cache!, STATEMENT_ANALYSES))) : undefined;
    const fresh = await timer.timeAsync('build the model', () =>
      buildModel(repository, config, timer, {
        ...(options.rustFilesPerBatch === undefined ? {} : { rustFilesPerBatch: options.rustFilesPerBatch }),
        ...(knownAnalyses ? { knownAnalyses } : {}),
      }),
    );
    built = { model: fresh.model, stats: fresh.stats, suppressionFiles: fresh.suppressionFiles };
    if (options.cache && cacheKey) {
      const cache = options.cache;
      timer.time('model cache: write', () => {
        writeCachedModel(cache, cacheKey, built!);
        // Only this run's statements, so statements deleted from the repository do not pile up.
        writeCachedValue(cache, STATEMENT_ANALYSES, storedAnalysesOf(fresh.analyses));
      });
    }
  }
  const { model, stats } = built;
  const enabled = allRules.filter((rule) => config.rules[rule.id]?.severity !== 'off');
  const configFile = configFileOf(config, repository.root);
  const ruleFindings = timer.time('rules', () =>
    runRules(model, enabled, config.rules, {
      includeTests: options.includeTests,
      configLocations: configLocations(config, config.ruleLocations, repository.root),
      ...(configFile !== undefined ? { configFile } : {}),
    }),
  );
  const findings = timer.time('suppressions', () => suppress(ruleFindings, repository.root, built!.suppressionFiles ?? [], config));
  return { root: repository.root, config, model, findings, rules: enabled, stats };
}

/**
 * Applies `boundary-lint-disable-next-line` comments. Reads only the files that hold a finding's
 * primary location and the files the model build saw a directive in (for unused suppressions).
 */
function suppress(findings: Finding[], root: string, suppressionFiles: readonly string[], config: ResolvedConfig): Finding[] {
  const files = new Set([...findings.map((f) => f.location.file), ...suppressionFiles]);
  const texts: [string, string][] = [];
  for (const file of [...files].sort(compareStrings)) {
    const read = readRepositoryText(root, file);
    if ('text' in read && mayHoldSuppressions(read.text)) texts.push([file, read.text]);
  }
  return applySuppressions(findings, suppressionsByFile(texts), { knownRules: allRules, settings: config.rules });
}

/** Pairs of units that are consecutive in a reported cycle (read from the no-cycles data). */
function cyclePairs(findings: readonly Finding[]): Set<string> {
  const pairs = new Set<string>();
  for (const finding of findings) {
    if (finding.ruleId !== 'no-cycles' || typeof finding.data.path !== 'string') continue;
    const nodes = finding.data.path.split(' → ');
    for (let i = 0; i + 1 < nodes.length; i++) pairs.add(pairKey(nodes[i]!, nodes[i + 1]!));
  }
  return pairs;
}

export const ALL_EDGE_KINDS: readonly EdgeKind[] = ['crate', 'crate-build', 'crate-dev', 'package', 'package-dev', 'import', 'grpc', 'http', 'event'];

/** The service graph (or unit graph) of a run, edges in reported cycles marked. */
export function graphViewOf(result: RunResult, options: GraphViewOptions): GraphView {
  return buildGraphView(result.model, options, cyclePairs(result.findings));
}

/** Incoming and outgoing edges of one unit; undefined when no unit has that name or path. */
export function explainOf(result: RunResult, nameOrPath: string, includeTests: boolean): UnitExplanation | undefined {
  const unit = result.model.units.find((u) => u.name === nameOrPath || u.path === nameOrPath.replace(/\/$/, ''));
  return unit ? explainUnit(result.model, unit, includeTests) : undefined;
}
