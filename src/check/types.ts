import type { Location, Model } from '../model/types.js';
import type { JsonSchema } from '../util/json-schema.js';

export type Severity = 'error' | 'warning' | 'info';

/** A secondary place that explains a finding, e.g. one edge of a cycle. */
export interface RelatedLocation {
  location: Location;
  message: string;
  /**
   * Line-independent content of this piece of evidence, e.g. the whitespace-normalised SQL
   * statement. Baselines match evidence on it; without it they use the location's source line.
   */
  content?: string;
}

/** A single text edit of a suggestion; `range` is [start, end) in the file. */
export interface TextEdit {
  file: string;
  range: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  text: string;
}

export interface Suggestion {
  title: string;
  applicability: 'safe' | 'unsafe' | 'display-only';
  edits: TextEdit[];
}

/** A rule violation as reporters see it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  messageId: string;
  message: string;
  location: Location;
  related: RelatedLocation[];
  /** Line-independent identity: rule id plus the facts that make the violation (hex). */
  fingerprint: string;
  /** The message's placeholders, for machine consumers. */
  data: Record<string, string | number>;
  suggestions: Suggestion[];
  /** Set when a `boundary-lint-disable-next-line` comment silences the finding (src/check/suppressions.ts). */
  suppressed?: { reason: string; location: Location };
  /** Set when the run compares against a baseline (src/check/baseline.ts); `updated` means grown. */
  baselineState?: BaselineState;
  /** With `baselineState: 'updated'`: the evidence the baseline does not have. */
  newEvidence?: Location[];
}

/** SARIF's baselineState: new, known (`unchanged`), grown (`updated`), or fixed (`absent`). */
export type BaselineState = 'new' | 'unchanged' | 'updated' | 'absent';

/** What a rule returns; the engine adds id, severity, message text and fingerprint. */
export interface DraftFinding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string | number>;
  location: Location;
  related?: RelatedLocation[];
  /** Facts that identify the violation independent of lines, e.g. the sorted units of a cycle. */
  identity: readonly string[];
  /** Overrides the configured severity for this finding only (e.g. an informational summary). */
  severity?: Severity;
  suggestions?: Suggestion[];
}

export interface RuleContext<Options> {
  model: Model;
  options: Options;
  /** `--include-tests`: test-scope facts take part. */
  includeTests: boolean;
  /** Where the rule's `rules.<id>` entry is written in the config, when that file lies in the analysed root. */
  configLocation?: Location;
  /** Repo-relative path of the config file, when it lies in the analysed root (fix suggestions name it). */
  configFile?: string;
}

export interface RuleMeta<Options, MessageId extends string> {
  /** One line, also the SARIF shortDescription. */
  description: string;
  kind: 'problem' | 'suggestion';
  defaultSeverity: Severity;
  messages: Record<MessageId, string>;
  /** JSON Schema (draft-07 subset, see util/json-schema) for the options object. */
  schema: JsonSchema;
  defaults: Options;
  fix: 'none' | 'sometimes' | 'always';
  tags: string[];
}

export interface Rule<Options = unknown, MessageId extends string = string> {
  id: string;
  meta: RuleMeta<Options, MessageId>;
  check(context: RuleContext<Options>): Iterable<DraftFinding<MessageId>>;
}

/** Identity helper that lets TypeScript check a rule's message ids and options against its meta. */
export function defineRule<Options, MessageId extends string>(rule: Rule<Options, MessageId>): Rule<Options, MessageId> {
  return rule;
}
