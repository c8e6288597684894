import type { Diagnostic } from '../model/types.js';
import type { Finding } from './types.js';

/**
 * The report scope of `--staged`, `--changed-since` and `--files`: the whole repository is
 * analysed (a cycle needs the whole graph), but only findings with evidence in a changed file
 * are reported. Pure: the changed files come from the CLI (git, or the hook's file names).
 */
export interface ReportScope {
  /** Changed files, POSIX paths relative to the analysed root. */
  files: ReadonlySet<string>;
  /** The config file relative to the root, when it lies inside it: changing it widens the scope to everything. */
  configFile?: string;
}

/** Whether a finding's primary location or any related location lies in a changed file. */
export function touchesScope(finding: Pick<Finding, 'location' | 'related'>, files: ReadonlySet<string>): boolean {
  return files.has(finding.location.file) || finding.related.some((r) => files.has(r.location.file));
}

/** Whether the change covers the whole repository (the config changes what every rule means). */
export function scopeIsEverything(scope: ReportScope): boolean {
  return scope.configFile !== undefined && scope.files.has(scope.configFile);
}

export interface ScopedFindings<F> {
  findings: F[];
  /** Findings left out because none of their evidence lies in a changed file. */
  outside: number;
}

/** The findings to report for a change; order kept. */
export function findingsInScope<F extends Pick<Finding, 'location' | 'related'>>(findings: readonly F[], scope: ReportScope): ScopedFindings<F> {
  if (scopeIsEverything(scope)) return { findings: [...findings], outside: 0 };
  const kept = findings.filter((f) => touchesScope(f, scope.files));
  return { findings: kept, outside: findings.length - kept.length };
}

/** Input diagnostics to show for a change: those located in a changed file, and those with no location. */
export function diagnosticsInScope(diagnostics: readonly Diagnostic[], scope: ReportScope): Diagnostic[] {
  if (scopeIsEverything(scope)) return [...diagnostics];
  return diagnostics.filter((d) => d.location === undefined || scope.files.has(d.location.file));
}
