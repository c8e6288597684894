import type { Location } from '../model/types.js';
import { compareLocations, compareStrings } from '../util/location.js';
import type { Finding } from './types.js';

/** Version of the baseline file format (docs/baseline.md); bump on any incompatible change. */
export const BASELINE_VERSION = 1;
/** Default baseline file name, at the analysed root. */
export const DEFAULT_BASELINE_FILE = '.boundary-baseline.json';

/** One piece of evidence, matched by content: its file and its normalised source line or SQL statement. */
export interface EvidenceItem {
  file: string;
  text: string;
}

/** A known finding: its line-independent fingerprint, the message for humans, and its evidence. */
export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
  /** The message when the entry was recorded; for humans, never matched. */
  message: string;
  /** File of the finding's primary location (for humans and for fixed results in SARIF). */
  file: string;
  /** Sorted by file then text; an item appears as often as the finding has it. */
  evidence: EvidenceItem[];
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** What the reporters get when a baseline took part. */
export interface BaselineSummary {
  /** The baseline file, as shown to the user (relative to the cwd). */
  file: string;
  /** Entries with no finding left: SARIF results with baselineState `absent`, the summary's "fixed". */
  fixed: BaselineEntry[];
  /** Entries that still match but hold evidence that is gone. */
  shrinkable: number;
}

/** The source line `line` (1-based) of a repo-relative file, or undefined when unreadable. */
export type LineText = (file: string, line: number) => string | undefined;

export interface BaselineComparison {
  /** The findings, each unsuppressed one with `baselineState` (and `newEvidence` when grown). */
  findings: Finding[];
  /** Baseline entries with no finding left: fixed since the baseline was written. */
  fixed: BaselineEntry[];
  /** Entries that still match but hold evidence that is gone (`--update-baseline` drops it). */
  shrinkable: number;
}

/** Whitespace runs to one space, ends trimmed: indentation and line breaks never matter. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function evidenceKey(item: EvidenceItem): string {
  return `${item.file}\u0000${item.text}`;
}

function compareEvidence(a: EvidenceItem, b: EvidenceItem): number {
  return compareStrings(a.file, b.file) || compareStrings(a.text, b.text);
}

/**
 * The evidence of a finding with the location it was read at: every related location (its
 * `content`, e.g. the normalised SQL statement, or else its normalised source line), plus the
 * primary location when no related location is at the same place. Never a line number.
 */
export function evidenceOf(finding: Finding, lineText: LineText): { item: EvidenceItem; location: Location }[] {
  const out: { item: EvidenceItem; location: Location }[] = [];
  const byLine = (location: Location): EvidenceItem => ({ file: location.file, text: normalizeText(lineText(location.file, location.line) ?? '') });
  if (!finding.related.some((r) => compareLocations(r.location, finding.location) === 0)) {
    out.push({ item: byLine(finding.location), location: finding.location });
  }
  for (const related of finding.related) {
    const item = related.content !== undefined ? { file: related.location.file, text: normalizeText(related.content) } : byLine(related.location);
    out.push({ item, location: related.location });
  }
  return out;
}

/** Counts per evidence key. */
function tally(items: readonly EvidenceItem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(evidenceKey(item), (counts.get(evidenceKey(item)) ?? 0) + 1);
  return counts;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareStrings(a.ruleId, b.ruleId) || compareStrings(a.file, b.file) || compareStrings(a.fingerprint, b.fingerprint);
}

/** Findings grouped by fingerprint (a rule's identity should be unique; if not, the group is one entry). */
function groupByFingerprint(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.fingerprint) ?? [];
    group.push(finding);
    groups.set(finding.fingerprint, group);
  }
  return groups;
}

/** The findings a baseline covers: every finding that is not suppressed inline. */
function baselinable(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.suppressed === undefined);
}

/** A baseline of the current findings (suppressed ones need none), sorted: same findings, same bytes. */
export function createBaseline(findings: readonly Finding[], lineText: LineText): Baseline {
  const entries: BaselineEntry[] = [];
  for (const [fingerprint, group] of groupByFingerprint(baselinable(findings))) {
    const first = group[0]!;
    entries.push({
      ruleId: first.ruleId,
      fingerprint,
      message: first.message,
      file: first.location.file,
      evidence: group.flatMap((f) => evidenceOf(f, lineText).map((e) => e.item)).sort(compareEvidence),
    });
  }
  return { version: BASELINE_VERSION, findings: entries.sort(compareEntries) };
}

/**
 * Compares the findings with a baseline. A finding whose fingerprint the baseline lacks is `new`;
 * one that has evidence the baseline lacks (more occurrences of a file + content than recorded)
 * is `updated` (grown) and fails like a new one; otherwise `unchanged`. Entries without a
 * finding are fixed. Suppressed findings take no part.
 */
export function compareWithBaseline(findings: readonly Finding[], baseline: Baseline, lineText: LineText): BaselineComparison {
  const entries = new Map(baseline.findings.map((e) => [e.fingerprint, e]));
  const groups = groupByFingerprint(baselinable(findings));
  const states = new Map<Finding, Pick<Finding, 'baselineState' | 'newEvidence'>>();
  let shrinkable = 0;
  for (const [fingerprint, group] of groups) {
    const entry = entries.get(fingerprint);
    if (!entry) {
      for (const f of group) states.set(f, { baselineState: 'new' });
      continue;
    }
    const allowed = tally(entry.evidence);
    const seen = new Map<string, number>();
    for (const f of group) {
      const grown: Location[] = [];
      for (const { item, location } of evidenceOf(f, lineText)) {
        const key = evidenceKey(item);
        const count = (seen.get(key) ?? 0) + 1;
        seen.set(key, count);
        if (count > (allowed.get(key) ?? 0)) grown.push(location);
      }
      states.set(f, grown.length > 0 ? { baselineState: 'updated', newEvidence: grown } : { baselineState: 'unchanged' });
    }
    const kept = [...allowed].reduce((sum, [key, count]) => sum + Math.min(count, seen.get(key) ?? 0), 0);
    if (kept < entry.evidence.length) shrinkable++;
  }
  return {
    findings: findings.map((f) => (states.has(f) ? { ...f, ...states.get(f)! } : f)),
    fixed: baseline.findings.filter((e) => !groups.has(e.fingerprint)),
    shrinkable,
  };
}

/**
 * `--update-baseline`: the baseline minus what was fixed, never plus anything. Fixed entries go;
 * an entry keeps only the evidence still present (so a removed query cannot come back
 * unnoticed); new findings and the new evidence of grown ones are not added, so they keep
 * failing until fixed or until the baseline is rewritten with `--write-baseline`.
 */
export function shrinkBaseline(baseline: Baseline, findings: readonly Finding[], lineText: LineText): Baseline {
  const groups = groupByFingerprint(baselinable(findings));
  const entries: BaselineEntry[] = [];
  for (const entry of baseline.findings) {
    const group = groups.get(entry.fingerprint);
    if (!group) continue;
    const present = tally(group.flatMap((f) => evidenceOf(f, lineText).map((e) => e.item)));
    const evidence: EvidenceItem[] = [];
    for (const item of entry.evidence) {
      const key = evidenceKey(item);
      const left = present.get(key) ?? 0;
      if (left > 0) {
        evidence.push(item);
        present.set(key, left - 1);
      }
    }
    const grew = [...present.values()].some((n) => n > 0);
    // A finding with less evidence gets its current message; a grown one keeps the recorded one.
    entries.push({ ...entry, message: grew ? entry.message : group[0]!.message, evidence: evidence.sort(compareEvidence) });
  }
  return { version: BASELINE_VERSION, findings: entries.sort(compareEntries) };
}

/** The baseline file's bytes: fixed key order, sorted entries, two-space indent, final newline. */
export function serializeBaseline(baseline: Baseline): string {
  const findings = [...baseline.findings].sort(compareEntries).map((e) => ({
    ruleId: e.ruleId,
    fingerprint: e.fingerprint,
    message: e.message,
    file: e.file,
    evidence: [...e.evidence].sort(compareEvidence).map((item) => ({ file: item.file, text: item.text })),
  }));
  return `${JSON.stringify({ version: baseline.version, tool: 'boundary-lint', findings }, null, 2)}\n`;
}

/** Parses and checks a baseline file's text; throws an Error that says what is wrong. */
export function parseBaseline(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  const object = raw as { version?: unknown; findings?: unknown };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('expected a JSON object with "version" and "findings"');
  if (object.version !== BASELINE_VERSION) throw new Error(`unsupported version ${JSON.stringify(object.version)}; this boundary-lint reads version ${BASELINE_VERSION}`);
  if (!Array.isArray(object.findings)) throw new Error('"findings" must be an array');
  const isString = (v: unknown): v is string => typeof v === 'string';
  const findings = object.findings.map((entry: unknown, i): BaselineEntry => {
    const e = entry as Partial<BaselineEntry> | null;
    if (!e || typeof e !== 'object' || !isString(e.ruleId) || !isString(e.fingerprint) || !isString(e.file) || !Array.isArray(e.evidence)) {
      throw new Error(`findings[${i}] needs "ruleId", "fingerprint", "file" and "evidence"`);
    }
    const evidence = e.evidence.map((item: unknown, j): EvidenceItem => {
      const it = item as Partial<EvidenceItem> | null;
      if (!it || !isString(it.file) || !isString(it.text)) throw new Error(`findings[${i}].evidence[${j}] needs "file" and "text"`);
      return { file: it.file, text: it.text };
    });
    return { ruleId: e.ruleId, fingerprint: e.fingerprint, message: isString(e.message) ? e.message : '', file: e.file, evidence };
  });
  return { version: BASELINE_VERSION, findings };
}

/**
 * Whether a finding is open: not suppressed inline and not known from the baseline. Only open
 * findings are shown by the text formats and counted for the exit code and the summary.
 */
export function isOpen(finding: Finding): boolean {
  return finding.suppressed === undefined && finding.baselineState !== 'unchanged';
}
