import { isOpen } from '../check/baseline.js';
import type { Finding, Severity } from '../check/types.js';
import type { Location } from '../model/types.js';
import { neutralizeControl } from '../util/text.js';
import { displayPath } from './text.js';
import type { ReportContext, ReportInput } from './types.js';

/**
 * `--format github`: one GitHub Actions workflow command per finding, which the runner turns into
 * an annotation on the file and line (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=<rule>::message`).
 * Only open findings are annotated (not suppressed, not known from the baseline), as in the text
 * formats. Errors are `::error`, warnings `::warning`, info findings `::notice`. Escaping follows
 * @actions/core: in the message `%`, CR and LF; in property values also `:` and `,`.
 * Paths are relative to the current directory (run from the repository root, as in a workflow
 * step). Columns are omitted when a span covers several lines, as the Checks API asks; `endColumn`
 * is exclusive, as in SARIF. The related evidence (every edge of a cycle, every statement) follows
 * the message on its own lines. GitHub shows at most 10 error and 10 warning annotations per step;
 * every line still appears in the log.
 */

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Other control characters (ESC...) are made visible first, so repository text cannot drive the log; CR and LF are escaped. */
function visible(value: string): string {
  return value.split('\r').map(neutralizeControl).join('\r');
}

/** @actions/core `escapeData`: the message of a workflow command. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core `escapeProperty`: a property value of a workflow command. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function positionProperties(loc: Location): [string, string][] {
  const props: [string, string][] = [['line', String(loc.line)]];
  const endLine = loc.endLine ?? loc.line;
  if (endLine !== loc.line) {
    props.push(['endLine', String(endLine)]);
    return props;
  }
  props.push(['endLine', String(endLine)], ['col', String(loc.column)]);
  if (loc.endColumn !== undefined) props.push(['endColumn', String(loc.endColumn)]);
  return props;
}

function annotation(input: ReportInput, context: ReportContext, finding: Finding): string {
  const props: [string, string][] = [['file', displayPath(input, context, finding.location.file)], ...positionProperties(finding.location), ['title', finding.ruleId]];
  const where = (loc: Location): string => `${displayPath(input, context, loc.file)}:${loc.line}:${loc.column}`;
  const message = [finding.message, ...finding.related.map((r) => `note: ${r.message} at ${where(r.location)}`)].join('\n');
  return `::${COMMAND[finding.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(visible(v))}`).join(',')}::${escapeData(visible(message))}`;
}

export function renderGithub(input: ReportInput, context: ReportContext): string {
  return input.findings.filter(isOpen).map((f) => `${annotation(input, context, f)}\n`).join('');
}
