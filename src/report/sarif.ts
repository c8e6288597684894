import type * as Sarif from 'sarif';
import type { BaselineEntry } from '../check/baseline.js';
import { DOCS_BASE_URL, ruleHelpUri } from '../check/rule-docs.js';
import type { Finding, Severity, Suggestion, TextEdit } from '../check/types.js';
import type { Diagnostic, Location } from '../model/types.js';
import { lineHashes } from '../util/line-hash.js';
import type { ReportContext, ReportInput, RuleHelp } from './types.js';

/** The `$schema` GitHub's own examples use (the multitool flags the older `rtm.5` URIs). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Code-scanning category: `automationDetails.id` is `<category>/`, so one upload per category replaces the last. */
export const SARIF_CATEGORY = 'boundary-lint';
/** Our own line-independent identity, beside GitHub's line hash. */
export const FINGERPRINT_KEY = 'boundaryLint/v1';

const SRCROOT = '%SRCROOT%';
/** GitHub's limit for shortDescription and fullDescription. */
const MAX_DESCRIPTION_LENGTH = 1024;
/** GitHub's limit for a rule's name. */
const MAX_NAME_LENGTH = 255;

type RuleInfo = ReportInput['rules'][number];

const RESULT_LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

/** `no-cross-service-db` → `NoCrossServiceDb`. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Markdown inline syntax → plain text: code spans, emphasis and links keep only their text. */
function plainInline(markdown: string): string {
  return markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, '$1$2')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** The first prose paragraph of a rule doc (not a heading, fence, list, quote or table), as plain text. */
function firstParagraph(markdown: string): string | undefined {
  const paragraph = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .find((block) => block.length > 0 && !/^(#|```|~~~|[-*+] |\d+\. |>|\|)/.test(block));
  return paragraph === undefined ? undefined : plainInline(paragraph.replace(/\s*\r?\n\s*/g, ' '));
}

/**
 * SARIF reads `[text](id)` in a message as a link to a related location, so literal brackets and
 * backslashes are escaped with a backslash (SARIF 2.1.0 §3.11.6). Everything else stays verbatim:
 * JSON encoding already neutralises control characters such as terminal escapes.
 */
function escapeMessage(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Repo-relative POSIX path → relative URI reference: each segment percent-encoded, `/` kept. */
export function pathToUriReference(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Absolute root directory → `file:///…/` (trailing slash, as SARIF requires for a base URI). */
export function rootToFileUri(root: string): string {
  const segments = root.replace(/\\/g, '/').split('/').filter((s) => s.length > 0);
  const encoded = segments.map((s, i) => (i === 0 && /^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s)));
  return `file:///${encoded.map((s) => `${s}/`).join('')}`;
}

/** Length, in UTF-16 code units, of the token that starts at a 0-based offset of a line. */
function tokenLength(line: string, offset: number): number {
  const first = line[offset];
  if (first === undefined || /\s/.test(first)) return 1;
  if (first === '"' || first === "'" || first === '`') {
    const close = line.indexOf(first, offset + 1);
    return close === -1 ? line.length - offset : close - offset + 1;
  }
  const word = /^[\p{L}\p{N}_$.-]+/u.exec(line.slice(offset));
  return word ? word[0].length : 1;
}

/** Source text per file, read at most once per render; the line hashes are computed lazily. */
class SourceCache {
  private readonly texts = new Map<string, string | undefined>();
  private readonly lines = new Map<string, string[]>();
  private readonly hashes = new Map<string, string[]>();

  constructor(private readonly read: ReportContext['readSource']) {}

  text(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, this.read(file));
    return this.texts.get(file);
  }

  line(file: string, line: number): string | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    let lines = this.lines.get(file);
    if (!lines) {
      lines = text.split(/\r\n|\r|\n/);
      this.lines.set(file, lines);
    }
    return lines[line - 1];
  }

  lineHash(file: string, line: number): string | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    let hashes = this.hashes.get(file);
    if (!hashes) {
      hashes = lineHashes(text);
      this.hashes.set(file, hashes);
    }
    return hashes[line - 1];
  }
}

/** All four region fields, `endColumn` exclusive; a missing end spans the token at the start (or one column). */
function region(location: Location, sources: SourceCache): Sarif.Region {
  const { line: startLine, column: startColumn } = location;
  let endLine = location.endLine ?? startLine;
  let endColumn = location.endColumn;
  if (endColumn === undefined) {
    endLine = startLine;
    const text = sources.line(location.file, startLine);
    endColumn = startColumn + (text === undefined ? 1 : tokenLength(text, startColumn - 1));
  }
  if (endLine < startLine || (endLine === startLine && endColumn <= startColumn)) {
    endLine = startLine;
    endColumn = startColumn + 1;
  }
  return { startLine, startColumn, endLine, endColumn };
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  return { uri: pathToUriReference(file), uriBaseId: SRCROOT };
}

function physicalLocation(location: Location, sources: SourceCache): Sarif.PhysicalLocation {
  return { artifactLocation: artifactLocation(location.file), region: region(location, sources) };
}

function descriptor(rule: RuleInfo, help: RuleHelp): Sarif.ReportingDescriptor {
  const { meta } = rule;
  const shortText = truncate(meta.description.trim() || rule.id, MAX_DESCRIPTION_LENGTH);
  const helpText = help.text.trim() ? help.text : `${shortText}.\n\nSee ${ruleHelpUri(rule.id)}`;
  return {
    id: rule.id,
    name: truncate(pascalCase(rule.id) || rule.id, MAX_NAME_LENGTH),
    shortDescription: { text: shortText },
    fullDescription: { text: truncate(firstParagraph(help.markdown) ?? shortText, MAX_DESCRIPTION_LENGTH) },
    help: { text: helpText, markdown: help.markdown.trim() ? help.markdown : helpText },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: RESULT_LEVEL[meta.defaultSeverity] },
    properties: {
      tags: [...new Set(meta.tags)],
      precision: 'very-high',
      'problem.severity': PROBLEM_SEVERITY[meta.defaultSeverity],
    },
  };
}

/** The message with every related location linked; its first sentence is the finding's own message. */
function resultMessage(finding: Finding): string {
  const text = escapeMessage(finding.message.trim() || finding.ruleId);
  if (finding.related.length === 0) return text;
  const links = finding.related.map((related, i) => {
    const label = related.message.trim() || `${related.location.file}:${related.location.line}`;
    return `[${escapeMessage(label)}](${i + 1})`;
  });
  return `${text}${/[.!?]$/.test(text) ? '' : '.'} Evidence: ${links.join(', ')}.`;
}

function replacement(edit: TextEdit): Sarif.Replacement {
  const { startLine, startColumn, endLine, endColumn } = edit.range;
  return { deletedRegion: { startLine, startColumn, endLine, endColumn }, insertedContent: { text: edit.text } };
}

/** One SARIF fix per suggestion that has edits; edits grouped per file in their (sorted) order. */
function fixes(suggestions: readonly Suggestion[]): Sarif.Fix[] {
  return suggestions
    .filter((suggestion) => suggestion.edits.length > 0)
    .map((suggestion) => {
      const byFile = new Map<string, Sarif.Replacement[]>();
      for (const edit of suggestion.edits) {
        const list = byFile.get(edit.file) ?? [];
        list.push(replacement(edit));
        byFile.set(edit.file, list);
      }
      return {
        description: { text: escapeMessage(suggestion.title) },
        artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifactLocation(file), replacements })),
        properties: { applicability: suggestion.applicability },
      };
    });
}

function result(finding: Finding, ruleIndex: number, context: ReportContext, sources: SourceCache): Sarif.Result {
  const partialFingerprints: Record<string, string> = {};
  const lineHash = sources.lineHash(finding.location.file, finding.location.line);
  if (lineHash !== undefined) partialFingerprints.primaryLocationLineHash = lineHash;
  partialFingerprints[FINGERPRINT_KEY] = finding.fingerprint;

  const out: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: RESULT_LEVEL[finding.severity],
    message: { text: resultMessage(finding) },
    locations: [{ physicalLocation: physicalLocation(finding.location, sources) }],
  };
  if (finding.related.length > 0) {
    out.relatedLocations = finding.related.map((related, i) => ({
      id: i + 1,
      physicalLocation: physicalLocation(related.location, sources),
      message: { text: escapeMessage(related.message.trim() || `${related.location.file}:${related.location.line}`) },
    }));
  }
  out.partialFingerprints = partialFingerprints;
  if (finding.suppressed) {
    out.suppressions = [
      {
        kind: 'inSource',
        justification: finding.suppressed.reason,
        location: { physicalLocation: physicalLocation(finding.suppressed.location, sources) },
      },
    ];
  }
  if (finding.baselineState) out.baselineState = finding.baselineState;
  if (context.fixSuggestions) {
    const suggested = fixes(finding.suggestions);
    if (suggested.length > 0) out.fixes = suggested;
  }
  return out;
}

/**
 * A baseline entry with no finding left: `baselineState: "absent"`, `kind: "pass"` (so `level`
 * must be `none`). The baseline keeps no line numbers, so its location is the file's first line:
 * GitHub requires a region on every result (docs/baseline.md says what to upload there).
 */
function absentResult(entry: BaselineEntry, ruleIndex: number | undefined): Sarif.Result {
  return {
    ruleId: entry.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: 'pass',
    level: 'none',
    message: { text: escapeMessage(`Fixed since the baseline: ${entry.message.trim() || entry.ruleId}`) },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(entry.file), region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } }],
    partialFingerprints: { [FINGERPRINT_KEY]: entry.fingerprint },
    baselineState: 'absent',
  };
}

function notification(diagnostic: Diagnostic, sources: SourceCache): Sarif.Notification {
  return {
    level: RESULT_LEVEL[diagnostic.severity],
    message: { text: escapeMessage(diagnostic.message.trim() || diagnostic.code) },
    ...(diagnostic.location ? { locations: [{ physicalLocation: physicalLocation(diagnostic.location, sources) }] } : {}),
    descriptor: { id: diagnostic.code },
  };
}

/**
 * One SARIF 2.1.0 run as GitHub code scanning ingests it: a full descriptor for every rule that ran,
 * one result per finding with its related locations linked from the message, and the tool's own
 * diagnostics as execution notifications. Same input, same bytes: no timestamps, no absolute paths
 * unless `includeEnvironment`.
 */
export function renderSarif(input: ReportInput, context: ReportContext): string {
  const sources = new SourceCache((file) => context.readSource(file));
  const rules = input.rules.map((rule) => descriptor(rule, context.ruleHelp(rule.id)));
  const ruleIndex = new Map<string, number>();
  input.rules.forEach((rule, i) => {
    if (!ruleIndex.has(rule.id)) ruleIndex.set(rule.id, i);
  });

  const results = input.findings.map((finding) => {
    const index = ruleIndex.get(finding.ruleId);
    if (index === undefined) throw new Error(`finding for rule ${finding.ruleId}, which is not among the rules that ran`);
    return result(finding, index, context, sources);
  });
  for (const entry of input.baseline?.fixed ?? []) results.push(absentResult(entry, ruleIndex.get(entry.ruleId)));

  const invocation: Sarif.Invocation = { executionSuccessful: true };
  if (input.model.diagnostics.length > 0) {
    invocation.toolExecutionNotifications = input.model.diagnostics.map((d) => notification(d, sources));
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: context.toolName,
        semanticVersion: context.toolVersion,
        version: context.toolVersion,
        informationUri: DOCS_BASE_URL,
        rules,
      },
    },
    automationDetails: { id: `${SARIF_CATEGORY}/` },
    ...(context.includeEnvironment ? { originalUriBaseIds: { [SRCROOT]: { uri: rootToFileUri(input.root) } } } : {}),
    columnKind: 'utf16CodeUnits',
    results,
    invocations: [invocation],
  };

  const log: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
