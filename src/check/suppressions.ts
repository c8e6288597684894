import type { RuleSetting } from '../config/resolve.js';
import type { Location } from '../model/types.js';
import { digest } from '../util/hash.js';
import { nearest } from '../util/json-schema.js';
import { compareLocations } from '../util/location.js';
import { compareFindings, formatMessage } from './run-rules.js';
import type { Finding, Rule, Severity, Suggestion } from './types.js';

/** The directive word; a file that does not contain it holds no suppression. */
export const SUPPRESSION_DIRECTIVE = 'boundary-lint-disable-next-line';
/** Rule id of a suppression that silences nothing (reported by the engine, not by a model rule). */
export const UNUSED_SUPPRESSION = 'unused-suppression';
/** Rule id of a suppression without a reason, without a rule, or naming an unknown rule. */
export const INVALID_SUPPRESSION = 'invalid-suppression';
/** Findings of these rules are about suppressions themselves and cannot be suppressed inline. */
export const SUPPRESSION_RULES: readonly string[] = [INVALID_SUPPRESSION, UNUSED_SUPPRESSION];

/** One `boundary-lint-disable-next-line` comment. */
export interface SuppressionComment {
  /** Where the comment starts (the comment marker) to the end of its text. */
  location: Location;
  /** Rule ids named, in order, duplicates removed. */
  rules: string[];
  /** Text after ` -- `, trimmed; undefined when absent or empty. */
  reason?: string;
  /** The line it applies to: the next line that is not itself a suppression comment. */
  targetLine: number;
}

/** Line-comment marker per file extension; files of other kinds have no inline suppressions. */
function commentMarker(file: string): string | undefined {
  if (file.endsWith('.rs') || file.endsWith('.proto') || file.endsWith('.prisma') || /\.[cm]?[jt]sx?$/.test(file)) return '//';
  if (file.endsWith('.sql')) return '--';
  if (file.endsWith('.toml')) return '#';
  return undefined;
}

/** Cheap pre-check for a file's text (the model build records which files pass it). */
export function mayHoldSuppressions(text: string): boolean {
  return text.includes(SUPPRESSION_DIRECTIVE);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The suppression comments of one file: whole-line comments only (`// …` in Rust and proto,
 * `-- …` in SQL, `# …` in TOML), found by a line scan. A line inside a Rust block comment or
 * raw string that looks like a directive counts as one (see docs/baseline.md).
 */
export function parseSuppressionComments(file: string, text: string): SuppressionComment[] {
  const marker = commentMarker(file);
  if (marker === undefined || !mayHoldSuppressions(text)) return [];
  const pattern = new RegExp(`^(\\s*)${escapeRegExp(marker)}\\s*${SUPPRESSION_DIRECTIVE}(?=\\s|$)(.*)$`);
  const lines = text.split(/\r\n|\r|\n/);
  const found: { index: number; column: number; end: number; rest: string }[] = [];
  lines.forEach((line, index) => {
    const match = pattern.exec(line);
    if (match) found.push({ index, column: match[1]!.length + 1, end: line.trimEnd().length + 1, rest: match[2]! });
  });
  const directiveLines = new Set(found.map((f) => f.index));
  return found.map(({ index, column, end, rest }) => {
    let target = index + 1;
    while (directiveLines.has(target)) target++;
    const separator = rest.indexOf('--');
    const rulePart = separator === -1 ? rest : rest.slice(0, separator);
    const reason = separator === -1 ? '' : rest.slice(separator + 2).trim();
    const rules = [...new Set(rulePart.split(/[\s,]+/).filter((r) => r.length > 0))];
    return {
      location: { file, line: index + 1, column, endLine: index + 1, endColumn: Math.max(end, column + 1) },
      rules,
      ...(reason !== '' ? { reason } : {}),
      targetLine: target + 1,
    };
  });
}

export interface SuppressionOptions {
  /** Every rule the config knows (enabled or not), by id: names outside it are unknown. */
  knownRules: readonly Pick<Rule<any, string>, 'id' | 'meta'>[];
  settings: Record<string, RuleSetting>;
}

function severityOf(setting: RuleSetting | undefined): Severity | undefined {
  if (!setting || setting.severity === 'off') return undefined;
  return setting.severity === 'warn' ? 'warning' : setting.severity;
}

/**
 * Marks the findings that a suppression comment on the line above names (`suppressed`), and adds
 * a finding per suppression problem: `invalid-suppression` (no reason, no rule, unknown rule)
 * and `unused-suppression` (a named rule with no finding on the target line). A comment without
 * a reason silences nothing unless `invalid-suppression` is off. Pure: the comments come in.
 */
export function applySuppressions(
  findings: readonly Finding[],
  comments: ReadonlyMap<string, readonly SuppressionComment[]>,
  options: SuppressionOptions,
): Finding[] {
  const known = new Map(options.knownRules.map((r) => [r.id, r]));
  const invalidSeverity = severityOf(options.settings[INVALID_SUPPRESSION]);
  const unusedSeverity = severityOf(options.settings[UNUSED_SUPPRESSION]);
  const extra: Finding[] = [];
  const engineFinding = (
    ruleId: string,
    severity: Severity,
    messageId: string,
    comment: SuppressionComment,
    data: Record<string, string>,
    suggestions: Suggestion[],
  ): Finding => {
    const template = (known.get(ruleId)?.meta.messages as Record<string, string> | undefined)?.[messageId] ?? messageId;
    return {
      ruleId,
      severity,
      messageId,
      message: formatMessage(template, data),
      location: comment.location,
      related: [],
      fingerprint: digest([ruleId, messageId, comment.location.file, comment.rules.join(','), comment.reason ?? '', data.rule ?? '']),
      data,
      suggestions,
    };
  };

  // Which comments may silence which rules.
  const active = new Map<SuppressionComment, Set<string>>();
  for (const list of comments.values()) {
    for (const comment of list) {
      const report = (messageId: string, data: Record<string, string>): void => {
        if (invalidSeverity) extra.push(engineFinding(INVALID_SUPPRESSION, invalidSeverity, messageId, comment, data, [invalidSuggestion(comment, messageId, data)]));
      };
      if (comment.rules.length === 0) {
        report('noRule', { rule: '' });
        continue;
      }
      const names = comment.rules.filter((r) => known.has(r));
      for (const unknown of comment.rules.filter((r) => !known.has(r))) {
        const hint = nearest(unknown, [...known.keys()]);
        report('unknownRule', { rule: unknown, hint: hint ? `; did you mean "${hint}"?` : '' });
      }
      if (comment.reason === undefined) {
        report('noReason', { rule: '', rules: comment.rules.join(', ') });
        if (invalidSeverity) continue;
      }
      active.set(comment, new Set(names));
    }
  }

  const used = new Map<SuppressionComment, Set<string>>();
  const result = findings.map((finding) => {
    if (SUPPRESSION_RULES.includes(finding.ruleId)) return finding;
    const candidates = comments.get(finding.location.file) ?? [];
    const comment = candidates.find((c) => c.targetLine === finding.location.line && active.get(c)?.has(finding.ruleId));
    if (!comment) return finding;
    const names = used.get(comment) ?? new Set<string>();
    names.add(finding.ruleId);
    used.set(comment, names);
    return { ...finding, suppressed: { reason: comment.reason ?? '', location: comment.location } };
  });

  if (unusedSeverity) {
    for (const [comment, names] of active) {
      for (const rule of names) {
        if (used.get(comment)?.has(rule)) continue;
        // The line may hold evidence of a finding that starts elsewhere: say where to put the comment.
        const elsewhere = findings.find(
          (f) => f.ruleId === rule && f.related.some((r) => r.location.file === comment.location.file && r.location.line === comment.targetLine),
        );
        const at = elsewhere ? `${elsewhere.location.file}:${elsewhere.location.line}` : '';
        const removal = removalSuggestion(comment, used.get(comment) ?? new Set());
        const suggestions = elsewhere ? [displayOnly(`Move this comment above ${at}, where the ${rule} finding starts`), removal] : [removal];
        extra.push(engineFinding(UNUSED_SUPPRESSION, unusedSeverity, elsewhere ? 'notPrimary' : 'unused', comment, { rule, reason: comment.reason ?? '', ...(at ? { at } : {}) }, suggestions));
      }
    }
  }
  return [...result, ...extra].sort(compareFindings);
}

function displayOnly(title: string): Suggestion {
  return { title, applicability: 'display-only', edits: [] };
}

/** The comment as it should be written, with `rules` and a reason placeholder when it has none. */
function rewritten(comment: SuppressionComment, rules: readonly string[]): string {
  return `${commentMarker(comment.location.file) ?? '//'} ${SUPPRESSION_DIRECTIVE} ${rules.join(' ')} -- ${comment.reason ?? '<why>'}`;
}

/** Display-only: what to write instead of an invalid comment. */
function invalidSuggestion(comment: SuppressionComment, messageId: string, data: Record<string, string>): Suggestion {
  switch (messageId) {
    case 'noRule':
      return displayOnly(`Name the rules it silences: \`${rewritten(comment, ['<rule-id>'])}\``);
    case 'unknownRule': {
      const hint = /"([^"]+)"/.exec(data.hint ?? '')?.[1];
      return displayOnly(hint ? `Write "${hint}" instead of "${data.rule}"` : `Remove "${data.rule}", or write the id of a boundary-lint rule`);
    }
    default:
      return displayOnly(`Add a reason after the rule ids: \`${rewritten(comment, comment.rules)}\``);
  }
}

/**
 * Safe: delete the comment line when none of its rules silenced anything, otherwise rewrite the
 * comment with only the rules that did. Either way no finding changes.
 */
function removalSuggestion(comment: SuppressionComment, used: ReadonlySet<string>): Suggestion {
  const { file, line, column, endColumn } = comment.location;
  const kept = comment.rules.filter((r) => used.has(r));
  if (kept.length === 0) {
    return { title: 'Remove the suppression comment', applicability: 'safe', edits: [{ file, range: { startLine: line, startColumn: 1, endLine: line + 1, endColumn: 1 }, text: '' }] };
  }
  const dropped = comment.rules.filter((r) => !used.has(r));
  return {
    title: `Remove ${dropped.join(', ')} from the suppression comment`,
    applicability: 'safe',
    edits: [{ file, range: { startLine: line, startColumn: column, endLine: line, endColumn: endColumn ?? column }, text: rewritten(comment, kept).replace(/ -- <why>$/, '') }],
  };
}

/** Suppression comments by file, in location order (helper for callers that read several files). */
export function suppressionsByFile(files: Iterable<[string, string]>): Map<string, SuppressionComment[]> {
  const byFile = new Map<string, SuppressionComment[]>();
  for (const [file, text] of files) {
    const comments = parseSuppressionComments(file, text).sort((a, b) => compareLocations(a.location, b.location));
    if (comments.length > 0) byFile.set(file, comments);
  }
  return byFile;
}
