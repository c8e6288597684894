import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/resolve.js';
import { ALL_EDGE_KINDS, explainOf, graphViewOf, run, type RunResult } from '../run.js';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../report/graph.js';
import { parseCommandLine, type CommandSpec, type OptionSpec, type OptionValues } from './args.js';
import { createStageTimer, noTiming, renderStageTimes } from '../util/timing.js';
import { renderExplainJson, renderExplainText } from '../report/explain.js';
import { nearest } from '../util/json-schema.js';
import type { EdgeKind } from '../model/types.js';
import { renderReport, FORMATS, type FormatName } from '../report/index.js';
import type { ReportContext, RuleHelp } from '../report/types.js';
import { countBySeverity, summaryLine } from '../report/text.js';
import { markdownToText } from '../util/text.js';
import { shouldColor } from './color.js';
import { applyBaseline, type BaselineFlags } from './baseline-file.js';
import { DEFAULT_BASELINE_FILE, isOpen } from '../check/baseline.js';
import { changedFilesFor, GitError, type ChangeSource } from './git.js';
import { diagnosticsInScope, findingsInScope, scopeIsEverything, type ReportScope } from '../check/report-scope.js';
import { buildFingerprint, packageRoot, packageVersion } from './package-info.js';
import { EnvironmentError } from '../util/webassembly.js';

/** The process surface the CLI uses, injectable for tests. */
export interface CliIo {
  stdout: { write(text: string): void; isTTY?: boolean };
  stderr: { write(text: string): void; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Options after translating argv; every default applied. */
export interface CliOptions {
  root: string;
  config?: string;
  format: FormatName;
  outputFile?: string;
  maxWarnings: number;
  quiet: boolean;
  includeTests: boolean;
  color?: boolean;
  fixSuggestions: boolean;
  verbose: boolean;
  /** Cache directory, or undefined with --no-cache. */
  cacheLocation: string | undefined;
  /** Report only on changed files: `--staged`, `--changed-since <ref>`, or `--files <paths...>`. */
  changes?: ChangeSource;
  /** `--baseline`, `--no-baseline`, `--write-baseline`, `--update-baseline`. */
  baseline: BaselineFlags;
}

/** Default cache directory, relative to the analysed root (Ruff keeps `.ruff_cache` the same way). */
export const DEFAULT_CACHE_DIRECTORY = '.boundary-lint-cache';

class UsageError extends Error {}

/** The model-cache options every command takes, as the main command does. */
const CACHE_OPTIONS: readonly OptionSpec[] = [
  { flags: '--no-cache', description: `do not read or write the model cache (default: ${DEFAULT_CACHE_DIRECTORY}/ in <dir>)` },
  { flags: '--cache-location <dir>', description: 'where to keep the model cache' },
];

function lintCommand(version: string): CommandSpec {
  return {
    name: 'boundary-lint',
    description: 'Static dependency and boundary linter for microservice monorepos.',
    arguments: [{ name: 'dir', variadic: true, description: 'repository root to analyse (default: .); with --files, the files to report on' }],
    options: [
      { flags: '-c, --config <file>', description: 'config file (default: boundary.config.json in <dir>)' },
      { flags: '-f, --format <name>', description: 'output format', choices: FORMATS, default: 'text' },
      { flags: '-o, --output-file <file>', description: 'write the report to a file; the summary still goes to stderr' },
      { flags: '--max-warnings <n>', description: 'exit 1 when there are more warnings than this (-1: no limit)', default: '-1' },
      { flags: '--quiet', description: 'report errors only' },
      { flags: '--include-tests', description: 'let test code and dev-dependencies take part in the rules' },
      { flags: '--fix-suggestions', description: 'show how to fix each finding (text diff, SARIF fixes)' },
      { flags: '--verbose', description: 'also list informational notes about the input' },
      ...CACHE_OPTIONS,
      { flags: '--color', description: 'force coloured output' },
      { flags: '--no-color', description: 'disable coloured output' },
      { flags: '--baseline <file>', description: `compare with this baseline (default: ${DEFAULT_BASELINE_FILE} in <dir>, when it exists)` },
      { flags: '--no-baseline', description: 'ignore the baseline and report every finding' },
      { flags: '--write-baseline [file]', description: `record the current findings as the baseline (default: ${DEFAULT_BASELINE_FILE} in <dir>)` },
      { flags: '--update-baseline', description: 'remove fixed findings and gone evidence from the baseline (never adds any)' },
      { flags: '--staged', description: 'analyse everything, report only findings with evidence in staged files (git)' },
      { flags: '--changed-since <ref>', description: 'analyse everything, report only findings with evidence in files changed since the merge base with <ref> (git)' },
      { flags: '--files', description: 'the positional arguments are files to report on (pre-commit, lint-staged), not the root' },
      { flags: '--root <dir>', description: 'repository root to analyse, for --files (default: .)' },
    ],
    version,
    helpAfter: '\nSubcommands:\n  boundary-lint graph [dir]            the service graph as mermaid, dot or json\n  boundary-lint explain <unit> [dir]   who depends on a unit and on whom it depends, with evidence\n',
  };
}

function parseArguments(argv: readonly string[], io: CliIo, version: string): CliOptions | number {
  const parsed = parseCommandLine(lintCommand(version), argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const raw = parsed.options as {
    config?: string;
    format: FormatName;
    outputFile?: string;
    maxWarnings: string;
    quiet?: boolean;
    includeTests?: boolean;
    fixSuggestions?: boolean;
    verbose?: boolean;
    cache: boolean;
    cacheLocation?: string;
    staged?: boolean;
    changedSince?: string;
    files?: boolean;
    root?: string;
    baseline?: string | boolean;
    writeBaseline?: string | true;
    updateBaseline?: boolean;
  };
  if (raw.writeBaseline !== undefined && raw.updateBaseline === true) throw new UsageError('pass either --write-baseline (record every current finding) or --update-baseline (only remove fixed ones), not both');
  if (raw.baseline === false && (raw.writeBaseline !== undefined || raw.updateBaseline === true)) throw new UsageError('--no-baseline ignores the baseline; it cannot be combined with --write-baseline or --update-baseline');
  const baseline: BaselineFlags = {
    ...(typeof raw.baseline === 'string' ? { baseline: raw.baseline } : raw.baseline === false ? { baseline: false as const } : {}),
    ...(raw.writeBaseline !== undefined ? { write: raw.writeBaseline } : {}),
    update: raw.updateBaseline === true,
  };
  const modes = [raw.staged === true, raw.changedSince !== undefined, raw.files === true].filter(Boolean).length;
  if (modes > 1) throw new UsageError('--staged, --changed-since and --files choose the report scope; pass only one of them');
  const positionals = parsed.positionals;
  if (raw.files !== true && positionals.length > 1) {
    throw new UsageError(`expected one directory, got ${positionals.length} arguments; to report only on some files, pass --files`);
  }
  if (raw.root !== undefined && raw.files !== true && positionals.length > 0) {
    throw new UsageError('pass the root either as <dir> or as --root, not both');
  }
  const root = raw.files === true ? (raw.root ?? '.') : (positionals[0] ?? raw.root ?? '.');
  const changes: ChangeSource | undefined =
    raw.staged === true ? { kind: 'staged' } : raw.changedSince !== undefined ? { kind: 'since', ref: raw.changedSince } : raw.files === true ? { kind: 'files', files: [...positionals] } : undefined;
  const maxWarnings = Number(raw.maxWarnings);
  if (!Number.isInteger(maxWarnings) || maxWarnings < -1) {
    throw new UsageError(`--max-warnings takes a whole number >= -1, got "${raw.maxWarnings}"`);
  }
  // Only an explicit flag counts (the environment decides otherwise); --no-color wins over --color.
  const explicitColor = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  return {
    root,
    config: raw.config,
    format: raw.format,
    outputFile: raw.outputFile,
    maxWarnings,
    quiet: raw.quiet === true,
    includeTests: raw.includeTests === true,
    color: explicitColor,
    fixSuggestions: raw.fixSuggestions === true,
    verbose: raw.verbose === true,
    cacheLocation: raw.cache === false ? undefined : (raw.cacheLocation ?? path.join(root, DEFAULT_CACHE_DIRECTORY)),
    ...(changes ? { changes } : {}),
    baseline,
  };
}

function ruleHelpReader(root: string): (ruleId: string) => RuleHelp {
  const cache = new Map<string, RuleHelp>();
  return (ruleId) => {
    let help = cache.get(ruleId);
    if (!help) {
      const file = path.join(root, 'rules', `${ruleId}.md`);
      const markdown = existsSync(file) ? readFileSync(file, 'utf8') : `# ${ruleId}\n`;
      help = { markdown, text: markdownToText(markdown) };
      cache.set(ruleId, help);
    }
    return help;
  };
}

function sourceReader(root: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(path.join(root, file), 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

/** The findings and diagnostics of a change (`--staged`, `--changed-since`, `--files`), and the summary's note about it. */
function scopeOf(result: RunResult, changedFiles: readonly string[]): { findings: RunResult['findings']; diagnostics: RunResult['model']['diagnostics']; note: string } {
  const configRelative = result.config.absolutePath ? path.relative(result.root, result.config.absolutePath).split(path.sep).join('/') : undefined;
  const scope: ReportScope = { files: new Set(changedFiles), ...(configRelative && !configRelative.startsWith('..') ? { configFile: configRelative } : {}) };
  const { findings } = findingsInScope(result.findings, scope);
  const outside = result.findings.filter(isOpen).length - findings.filter(isOpen).length;
  const note = scopeIsEverything(scope)
    ? ` · scope: everything (${scope.configFile} changed)`
    : ` · scope: ${changedFiles.length} changed ${changedFiles.length === 1 ? 'file' : 'files'}${outside > 0 ? ` (${outside} ${outside === 1 ? 'finding' : 'findings'} elsewhere not shown)` : ''}`;
  return { findings, diagnostics: diagnosticsInScope(result.model.diagnostics, scope), note };
}

/** Exit code from what is reported: 1 on any error, or on more warnings than allowed. */
export function exitCodeFor(result: Pick<RunResult, 'findings'>, maxWarnings: number): { code: 0 | 1; reason?: string } {
  // Suppressed and baselined (known) findings never fail the gate; new and grown ones do.
  const counts = countBySeverity(result.findings.filter(isOpen));
  if (counts.error > 0) return { code: 1 };
  if (maxWarnings >= 0 && counts.warning > maxWarnings) {
    return { code: 1, reason: `boundary-lint found too many warnings (maximum: ${maxWarnings}).` };
  }
  return { code: 0 };
}

/** argv -> options -> run -> render -> write; returns the exit code (0, 1 or 2). */
export async function execute(argv: readonly string[], io: CliIo): Promise<number> {
  const started = performance.now();
  const pkgRoot = packageRoot();
  const version = packageVersion(pkgRoot);
  if (argv[0] === 'graph') return executeGraph(argv.slice(1), io, version);
  if (argv[0] === 'explain') return executeExplain(argv.slice(1), io, version);
  let options: CliOptions;
  try {
    const parsed = parseArguments(argv, io, version);
    if (typeof parsed === 'number') return parsed;
    options = parsed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`boundary-lint: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const rootAbsolute = path.resolve(io.cwd, options.root);
  if (!existsSync(rootAbsolute) || !statSync(rootAbsolute).isDirectory()) {
    io.stderr.write(`boundary-lint: ${options.root} is not a directory; pass the root of the repository to analyse\n`);
    return 2;
  }
  let changedFiles: string[] | undefined;
  if (options.changes) {
    try {
      changedFiles = changedFilesFor(options.changes, rootAbsolute, io.cwd);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      const flag = options.changes.kind === 'staged' ? '--staged' : '--changed-since';
      io.stderr.write(`boundary-lint: ${flag} needs git: ${error.message}\n`);
      return 2;
    }
  }

  // TIMING=1 (ESLint's variable): how long each stage took, on stderr after the report.
  const timer = io.env.TIMING !== undefined && io.env.TIMING !== '' && io.env.TIMING !== '0' ? createStageTimer() : undefined;
  let result: RunResult;
  try {
    result = await run({
      root: options.root,
      configPath: options.config,
      includeTests: options.includeTests,
      cwd: io.cwd,
      cache: options.cacheLocation === undefined ? undefined : { directory: path.resolve(io.cwd, options.cacheLocation), salt: buildFingerprint() },
      ...(timer ? { timer } : {}),
      ...rustBatchOption(io.env.BOUNDARY_LINT_RUST_BATCH_FILES),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`boundary-lint: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // The baseline sees every finding (before scoping and --quiet), so "fixed" means fixed.
  const baselined = applyBaseline(options.baseline, result.findings, { root: result.root, cwd: io.cwd, readSource: sourceReader(result.root) });
  if ('error' in baselined) {
    io.stderr.write(`boundary-lint: ${baselined.error}\n`);
    return 2;
  }
  result = { ...result, findings: baselined.findings };

  const scoped = changedFiles ? scopeOf(result, changedFiles) : undefined;
  const inScope = scoped?.findings ?? result.findings;
  const findings = options.quiet ? inScope.filter((f) => f.severity === 'error') : inScope;
  const shownDiagnostics = scoped?.diagnostics ?? result.model.diagnostics;
  const model = options.quiet
    ? { ...result.model, diagnostics: shownDiagnostics.filter((d) => d.severity === 'error') }
    : scoped ? { ...result.model, diagnostics: shownDiagnostics } : result.model;
  const input = { root: result.root, model, findings, rules: result.rules, stats: result.stats, ...(baselined.summary ? { baseline: baselined.summary } : {}) };
  const toStdout = options.outputFile === undefined;
  const destinationIsTTY = toStdout ? io.stdout.isTTY === true : false;
  const context: ReportContext = {
    cwd: io.cwd,
    color: shouldColor(options.color, io.env, destinationIsTTY),
    toolName: 'boundary-lint',
    toolVersion: version,
    readSource: sourceReader(result.root),
    ruleHelp: ruleHelpReader(pkgRoot),
    fixSuggestions: options.fixSuggestions,
    verbose: options.verbose,
    includeEnvironment: true,
    elapsedMs: performance.now() - started,
  };
  const report = await (timer ?? noTiming).timeAsync('render the report', () => renderReport(options.format, input, context));
  const summaryContext = { ...context, color: shouldColor(options.color, io.env, io.stderr.isTTY === true) };
  const { code, reason } = exitCodeFor({ findings }, options.maxWarnings);
  const summary = `${summaryLine(input, toStdout ? context : summaryContext)}${scoped?.note ?? ''}\n${baselined.notes.map((n) => `${n}\n`).join('')}${reason ? `${reason}\n` : ''}`;
  const humanFormat = options.format === 'text' || options.format === 'concise';

  if (options.outputFile !== undefined) {
    const target = path.resolve(io.cwd, options.outputFile);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, report);
    } catch (error) {
      io.stderr.write(`boundary-lint: cannot write ${options.outputFile}: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(summary);
  } else if (humanFormat) {
    io.stdout.write(report === '' ? summary : `${report}\n${summary}`);
  } else {
    io.stdout.write(report);
    io.stderr.write(summary);
  }
  if (timer) io.stderr.write(`\n${renderStageTimes(timer.times(), performance.now() - started)}`);
  return code;
}

interface SubcommandCommon {
  root: string;
  config?: string;
  includeTests: boolean;
  outputFile?: string;
  /** `--no-cache` gives false; `--cache-location <dir>` a directory. */
  cache?: unknown;
  cacheLocation?: unknown;
}

/** The options every subcommand shares, from its parsed flags, for the repository at `root`. */
function subcommandCommon(root: string, opts: Record<string, unknown>): SubcommandCommon {
  return { root, config: opts.config as string | undefined, includeTests: opts.includeTests === true, cache: opts.cache, cacheLocation: opts.cacheLocation };
}

/** Runs the pipeline for a subcommand; maps a config problem or a bad root to exit 2. */
async function runForSubcommand(common: SubcommandCommon, io: CliIo): Promise<RunResult | number> {
  const rootAbsolute = path.resolve(io.cwd, common.root);
  if (!existsSync(rootAbsolute) || !statSync(rootAbsolute).isDirectory()) {
    io.stderr.write(`boundary-lint: ${common.root} is not a directory; pass the root of the repository to analyse\n`);
    return 2;
  }
  try {
    const cacheLocation = common.cache === false ? undefined : typeof common.cacheLocation === 'string' ? common.cacheLocation : path.join(common.root, DEFAULT_CACHE_DIRECTORY);
    return await run({
      root: common.root,
      configPath: common.config,
      includeTests: common.includeTests,
      cwd: io.cwd,
      cache: cacheLocation === undefined ? undefined : { directory: path.resolve(io.cwd, cacheLocation), salt: buildFingerprint() },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`boundary-lint: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function writeOutput(text: string, outputFile: string | undefined, io: CliIo): number {
  if (outputFile === undefined) {
    io.stdout.write(text);
    return 0;
  }
  try {
    const target = path.resolve(io.cwd, outputFile);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    return 0;
  } catch (error) {
    io.stderr.write(`boundary-lint: cannot write ${outputFile}: ${(error as Error).message}\n`);
    return 2;
  }
}

/** Options both subcommands declare the same way. */
const SUBCOMMAND_CONFIG_OPTION: OptionSpec = { flags: '-c, --config <file>', description: 'config file' };
const SUBCOMMAND_INCLUDE_TESTS_OPTION: OptionSpec = { flags: '--include-tests', description: 'include test-scope edges' };

/** A subcommand's options and arguments, or the exit code when parsing ended the run (help, version, usage error). */
function parseSubcommand(command: CommandSpec, argv: readonly string[], io: CliIo): { options: OptionValues; positionals: string[] } | number {
  const parsed = parseCommandLine(command, argv, io);
  return 'exitCode' in parsed ? parsed.exitCode : parsed;
}

/** `boundary-lint graph [dir]`: the service graph for planning, violating edges marked. */
async function executeGraph(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  const parsed = parseSubcommand(
    {
      name: 'boundary-lint graph',
      description: 'Print the service dependency graph (services only by default; libraries folded into the edges through them).',
      arguments: [{ name: 'dir', description: 'repository root to analyse', default: '.' }],
      options: [
        SUBCOMMAND_CONFIG_OPTION,
        { flags: '-f, --format <name>', description: 'output format', choices: GRAPH_FORMATS, default: 'mermaid' },
        { flags: '--kinds <list>', description: `comma-separated edge kinds (default: all; known: ${ALL_EDGE_KINDS.join(', ')})` },
        { flags: '--focus <unit>', description: 'only this unit and its direct neighbours' },
        { flags: '--all-units', description: 'show libraries as nodes instead of folding them' },
        SUBCOMMAND_INCLUDE_TESTS_OPTION,
        { flags: '-o, --output-file <file>', description: 'write the graph to a file' },
        ...CACHE_OPTIONS,
      ],
      version,
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const opts = parsed.options;
  const kinds = typeof opts.kinds === 'string' ? opts.kinds.split(',').map((k) => k.trim()).filter(Boolean) : [...ALL_EDGE_KINDS];
  const unknown = kinds.filter((k) => !ALL_EDGE_KINDS.includes(k as EdgeKind));
  if (unknown.length > 0) {
    io.stderr.write(`boundary-lint: unknown edge kind ${unknown.map((k) => `"${k}"`).join(', ')} in --kinds; known kinds: ${ALL_EDGE_KINDS.join(', ')}\n`);
    return 2;
  }
  const result = await runForSubcommand(subcommandCommon(parsed.positionals[0] ?? '.', opts), io);
  if (typeof result === 'number') return result;
  const focus = opts.focus as string | undefined;
  if (focus !== undefined && !result.model.units.some((u) => u.name === focus)) {
    return unknownUnit(focus, result, io);
  }
  const view = graphViewOf(result, {
    kinds: kinds as EdgeKind[],
    includeTests: opts.includeTests === true,
    between: opts.allUnits === true ? 'units' : 'services',
    focus,
  });
  return writeOutput(renderGraph(opts.format as GraphFormat, view), opts.outputFile as string | undefined, io);
}

function unknownUnit(name: string, result: RunResult, io: CliIo): number {
  const hint = nearest(name, result.model.units.map((u) => u.name));
  io.stderr.write(`boundary-lint: no unit named "${name}"${hint ? `; did you mean "${hint}"?` : ''} (units: ${result.model.units.map((u) => u.name).join(', ') || 'none'})\n`);
  return 2;
}

/** `boundary-lint explain <unit> [dir]`: incoming and outgoing edges by kind, with evidence. */
async function executeExplain(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  const parsed = parseSubcommand(
    {
      name: 'boundary-lint explain',
      description: 'Show who depends on a unit and on whom it depends, by edge kind, with evidence.',
      arguments: [
        { name: 'unit', description: 'unit name or path', required: true },
        { name: 'dir', description: 'repository root to analyse', default: '.' },
      ],
      options: [
        SUBCOMMAND_CONFIG_OPTION,
        { flags: '-f, --format <name>', description: 'output format', choices: ['text', 'json'], default: 'text' },
        SUBCOMMAND_INCLUDE_TESTS_OPTION,
        { flags: '-o, --output-file <file>', description: 'write the explanation to a file' },
        ...CACHE_OPTIONS,
      ],
      version,
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const opts = parsed.options;
  const [unitName, dir] = parsed.positionals as [string, string | undefined];
  const result = await runForSubcommand(subcommandCommon(dir ?? '.', opts), io);
  if (typeof result === 'number') return result;
  const explanation = explainOf(result, unitName, opts.includeTests === true);
  if (!explanation) return unknownUnit(unitName, result, io);
  const text = opts.format === 'json' ? renderExplainJson(explanation) : renderExplainText(explanation, { root: result.root, cwd: io.cwd });
  return writeOutput(text, opts.outputFile as string | undefined, io);
}

/** Entry point for bin/boundary-lint.js: never throws, maps crashes to exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  // `boundary-lint ... | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  try {
    return await execute(argv, io);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      process.stderr.write(`boundary-lint: ${error.message}\n`);
      return 2;
    }
    const detail = process.env.BOUNDARY_LINT_DEBUG ? `\n${(error as Error).stack ?? ''}` : ' (set BOUNDARY_LINT_DEBUG=1 for the stack trace)';
    process.stderr.write(`boundary-lint: internal error: ${(error as Error).message}${detail}\nThis is a bug in boundary-lint; please report it with the command you ran.\n`);
    return 2;
  }
}

/**
 * `BOUNDARY_LINT_RUST_BATCH_FILES=N`: resolve at most N leaf-unit Rust files at once (less memory,
 * more time; the findings do not change). For very large workspaces and for our own tests and
 * benchmarks; anything but a positive integer is ignored.
 */
function rustBatchOption(value: string | undefined): { rustFilesPerBatch?: number } {
  if (value === undefined || !/^[1-9][0-9]*$/.test(value)) return {};
  return { rustFilesPerBatch: Number(value) };
}
