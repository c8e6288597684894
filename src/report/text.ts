import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { isOpen } from '../check/baseline.js';
import type { Finding, Severity } from '../check/types.js';
import type { Diagnostic, Location } from '../model/types.js';
import { neutralizeControl, plural } from '../util/text.js';
import type { ReportContext, ReportInput } from './types.js';

function paint(context: ReportContext): ChalkInstance {
  return new Chalk({ level: context.color ? 1 : 0 });
}

/** A path a terminal can open from the user's cwd: relative when inside it, POSIX separators. */
export function displayPath(input: ReportInput, context: ReportContext, file: string): string {
  const relative = path.relative(context.cwd, path.join(input.root, file));
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

function where(input: ReportInput, context: ReportContext, loc: Location): string {
  return `${displayPath(input, context, loc.file)}:${loc.line}:${loc.column}`;
}

function severityWord(severity: Severity): string {
  return severity === 'info' ? 'info' : severity;
}

function colorFor(c: ChalkInstance, severity: Severity | Diagnostic['severity']): (s: string) => string {
  return severity === 'error' ? c.red.bold : severity === 'warning' ? c.yellow.bold : c.cyan.bold;
}

/** Source line with a caret underline, rustc style; empty when the source cannot be read. */
function codeFrame(context: ReportContext, c: ChalkInstance, loc: Location, severity: Severity, gutter: string): string[] {
  const source = context.readSource(loc.file);
  if (source === undefined) return [];
  const line = source.split(/\r?\n/)[loc.line - 1];
  if (line === undefined) return [];
  const width = loc.endLine === loc.line && loc.endColumn !== undefined ? Math.max(1, loc.endColumn - loc.column) : 1;
  const shownLine = neutralizeControl(line.replace(/\t/g, '    '));
  const indent = line.slice(0, loc.column - 1).replace(/\t/g, '    ').replace(/[^ ]/g, ' ');
  return [
    `${gutter} ${c.blue('|')}`,
    `${c.blue(String(loc.line).padStart(gutter.length))} ${c.blue('|')} ${shownLine}`,
    `${gutter} ${c.blue('|')} ${indent}${colorFor(c, severity)('^'.repeat(width))}`,
  ];
}

function renderFinding(input: ReportInput, context: ReportContext, c: ChalkInstance, finding: Finding): string {
  // The gutter is as wide as the line number, so `-->`, `|` and `=` line up (rustc layout).
  const gutter = ' '.repeat(String(finding.location.line).length);
  const lines = [
    `${colorFor(c, finding.severity)(`${severityWord(finding.severity)}[${finding.ruleId}]`)}${c.bold(`: ${neutralizeControl(finding.message)}`)}`,
    `${gutter}${c.blue('-->')} ${where(input, context, finding.location)}`,
    ...codeFrame(context, c, finding.location, finding.severity, gutter),
  ];
  for (const related of finding.related) {
    lines.push(`${gutter} ${c.blue('=')} ${c.bold('note')}: ${neutralizeControl(related.message)} at ${where(input, context, related.location)}`);
  }
  if (finding.baselineState === 'updated') {
    const added = (finding.newEvidence ?? []).map((loc) => where(input, context, loc)).join(', ');
    lines.push(`${gutter} ${c.blue('=')} ${c.bold('note')}: grown since the baseline${added ? `: new evidence at ${added}` : ''}`);
  }
  if (context.fixSuggestions) {
    for (const suggestion of finding.suggestions) {
      lines.push(`${gutter} ${c.blue('=')} ${c.bold('help')}: ${neutralizeControl(suggestion.title)}`);
      for (const edit of suggestion.edits) {
        const original = context.readSource(edit.file)?.split(/\r?\n/) ?? [];
        lines.push(`${gutter}   ${c.dim(`--- ${displayPath(input, context, edit.file)}:${edit.range.startLine}`)}`);
        // A range ending at column 1 of a line stops before that line (whole-line deletions).
        const lastLine = edit.range.endColumn === 1 && edit.range.endLine > edit.range.startLine ? edit.range.endLine - 1 : edit.range.endLine;
        for (let n = edit.range.startLine; n <= lastLine && n <= original.length; n++) {
          lines.push(`${gutter}   ${c.red(`-${neutralizeControl(original[n - 1] ?? '')}`)}`);
        }
        if (edit.text !== '') {
          for (const added of edit.text.replace(/\n$/, '').split('\n')) lines.push(`${gutter}   ${c.green(`+${neutralizeControl(added)}`)}`);
        }
      }
    }
  }
  return lines.join('\n');
}

function renderDiagnostic(input: ReportInput, context: ReportContext, c: ChalkInstance, diagnostic: Diagnostic): string {
  const label = diagnostic.severity === 'info' ? 'note' : diagnostic.severity;
  const head = `${colorFor(c, diagnostic.severity)(`${label}[${diagnostic.code}]`)}: ${neutralizeControl(diagnostic.message)}`;
  return diagnostic.location ? `${head}\n${' '.repeat(String(diagnostic.location.line).length)}${c.blue('-->')} ${where(input, context, diagnostic.location)}` : head;
}

/** Counts shown in the summary line. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `baseline: 1 new, 1 grown, 3 known, 2 fixed` when a baseline took part; `2 suppressed` when any are. */
function baselineParts(input: ReportInput): string[] {
  const parts: string[] = [];
  if (input.baseline) {
    const count = (state: Finding['baselineState']): number => input.findings.filter((f) => f.suppressed === undefined && f.baselineState === state).length;
    parts.push(`baseline: ${count('new')} new, ${count('updated')} grown, ${count('unchanged')} known, ${input.baseline.fixed.length} fixed`);
  }
  const suppressed = input.findings.filter((f) => f.suppressed !== undefined).length;
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  return parts;
}

/** The summary line every text format ends with; counts only open findings (not suppressed, not known from the baseline). */
export function summaryLine(input: ReportInput, context: ReportContext): string {
  const c = paint(context);
  const counts = countBySeverity(input.findings.filter(isOpen));
  const problems = counts.error + counts.warning + counts.info;
  const services = input.model.units.filter((u) => u.kind === 'service').length;
  const scope = `${plural(input.model.units.length, 'unit')} (${plural(services, 'service')}), ${plural(input.model.edges.length, 'edge')}`;
  const unread = input.model.diagnostics.filter((d) => d.severity !== 'info').length;
  const notes = input.model.diagnostics.filter((d) => d.severity === 'info').length;
  const extras = [
    unread > 0 ? `${plural(unread, 'input problem')}` : '',
    notes > 0 && !context.verbose ? `${plural(notes, 'note')} (--verbose shows them)` : '',
    context.elapsedMs !== undefined ? `${Math.round(context.elapsedMs)}ms` : '',
  ].filter(Boolean);
  const tail = [...baselineParts(input), scope, ...extras].join(' · ');
  if (problems === 0) return `${c.green('✔')} no ${input.baseline ? 'new ' : ''}problems · ${tail}`;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.info > 0) parts.push(plural(counts.info, 'info'));
  const mark = counts.error > 0 ? c.red.bold('✖') : c.yellow.bold('⚠');
  return `${mark} ${plural(problems, 'problem')} (${parts.join(', ')}) · ${tail}`;
}

function visibleDiagnostics(input: ReportInput, context: ReportContext): Diagnostic[] {
  return input.model.diagnostics.filter((d) => context.verbose || d.severity !== 'info');
}

/** rustc/Ruff-like blocks: location, message, code frame, every related location. No summary (the CLI adds it). */
export function renderText(input: ReportInput, context: ReportContext): string {
  const c = paint(context);
  const blocks = input.findings.filter(isOpen).map((f) => renderFinding(input, context, c, f));
  blocks.push(...visibleDiagnostics(input, context).map((d) => renderDiagnostic(input, context, c, d)));
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

/** One line per finding, `path:line:col: severity: message [rule]` (GCC/errorformat shape). */
export function renderConcise(input: ReportInput, context: ReportContext): string {
  const c = paint(context);
  const lines = input.findings.filter(isOpen).map(
    (f) => `${where(input, context, f.location)}: ${colorFor(c, f.severity)(severityWord(f.severity))}: ${neutralizeControl(f.message)} [${f.ruleId}]`,
  );
  lines.push(
    ...visibleDiagnostics(input, context).map((d) => {
      const at = d.location ? `${where(input, context, d.location)}: ` : '';
      return `${at}${colorFor(c, d.severity)(d.severity === 'info' ? 'note' : d.severity)}: ${neutralizeControl(d.message)} [${d.code}]`;
    }),
  );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
