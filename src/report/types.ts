import type { BaselineSummary } from '../check/baseline.js';
import type { Finding, Rule } from '../check/types.js';
import type { Model } from '../model/types.js';

/** What every reporter renders: the outcome of one run. */
export interface ReportInput {
  /** Absolute path of the analysed root. */
  root: string;
  model: Model;
  findings: readonly Finding[];
  /** The rules that ran (metadata for SARIF descriptors and help). */
  rules: readonly Pick<Rule<any, string>, 'id' | 'meta'>[];
  stats: { files: number; manifests: number };
  /** Present when a baseline took part: findings carry `baselineState`, fixed entries are here. */
  baseline?: BaselineSummary;
}

export interface RuleHelp {
  /** Plain-text help (SARIF help.text). */
  text: string;
  /** The rule's doc as Markdown (SARIF help.markdown). */
  markdown: string;
}

/** Everything a reporter may need besides the result; reporters touch neither process nor fs. */
export interface ReportContext {
  /** Directory that text paths are shown relative to (so terminals can open them). */
  cwd: string;
  color: boolean;
  toolName: string;
  toolVersion: string;
  /** Contents of a repo-relative file, for code frames; undefined when unreadable. */
  readSource(file: string): string | undefined;
  /** Help per rule id, from rules/<id>.md. */
  ruleHelp(ruleId: string): RuleHelp;
  /** Show suggestions (text diff, SARIF fixes). */
  fixSuggestions: boolean;
  /** Also list info-level diagnostics. */
  verbose: boolean;
  /** Emit environment-specific facts (absolute root URI); off for golden files. */
  includeEnvironment: boolean;
  /** Wall time of the run, shown in the text summary when present. */
  elapsedMs?: number;
}

export type Reporter = (input: ReportInput, context: ReportContext) => string;
