import { isOpen } from '../check/baseline.js';
import type { BaselineState, Severity } from '../check/types.js';
import type { Model } from '../model/types.js';
import { tableId } from '../model/sql/table-accesses.js';
import { compareStrings } from '../util/location.js';
import type { ReportContext, ReportInput } from './types.js';

/**
 * `--format metrics`: OpenMetrics 1.0 text exposition, for a Prometheus textfile collector or a
 * Pushgateway, to chart the architecture over time. Every family is a gauge (a state of the
 * repository, not a count of events). Families come in a fixed order, samples sorted by their
 * labels, no timestamps, and the exposition ends with `# EOF`. A family with no samples still
 * has its HELP and TYPE lines, so a scrape sees the metric exists.
 *
 * The first two describe the architecture, whatever the gate says:
 * - `boundary_cycles`: elementary dependency cycles that `no-cycles` finds (findings with message
 *   id `cycle`, at any configured severity, including suppressed and baselined ones).
 *   Declared-only cycles (info) and the "too many cycles" summary are not counted; 0 when the
 *   rule is off.
 * - `boundary_cross_service_db_accesses{service,table,owner,op}`: statements in production code
 *   of one service that touch a table another service owns: `model.tableAccesses` joined with
 *   `model.owners`, independent of the rule's `allow` list and severity (the coupling itself).
 *   `table` is the table id (`users`, `clickhouse:events`); `op` is `read`, `write` or `ddl`.
 * The others describe the gate:
 * - `boundary_findings{rule,severity}`: open findings (not suppressed, not known from the
 *   baseline: what the exit code counts) per enabled rule and severity (`error`, `warning`,
 *   `info`), zeros included.
 * - `boundary_baseline_findings{state}`: only when a baseline took part: unsuppressed findings
 *   per SARIF baseline state, `new`, `updated` (grown), `unchanged` (known), and `absent`
 *   (baseline entries fixed since), zeros included.
 *
 * Findings follow what is reported (`--quiet`, `--staged`); the model-based family always covers
 * the whole repository.
 */

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** OpenMetrics escaping for label values and HELP text: backslash, double quote, line feed. */
export function escapeOpenMetrics(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

type Labels = readonly (readonly [string, string])[];

interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

function labelText(labels: Labels): string {
  return labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeOpenMetrics(v)}"`).join(',')}}`;
}

function compareLabels(a: Labels, b: Labels): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareStrings(a[i]![1], b[i]![1]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function countBy<T>(items: Iterable<T>, key: (item: T) => Labels): Family['samples'] {
  const counts = new Map<string, { labels: Labels; value: number }>();
  for (const item of items) {
    const labels = key(item);
    const id = JSON.stringify(labels);
    const entry = counts.get(id) ?? { labels, value: 0 };
    entry.value++;
    counts.set(id, entry);
  }
  return [...counts.values()];
}

/** Production statements of a service that touch another service's table. */
export function crossServiceAccesses(model: Model): Family['samples'] {
  const services = new Set(model.units.filter((u) => u.kind === 'service').map((u) => u.name));
  const rows: Labels[] = [];
  for (const access of model.tableAccesses) {
    if (access.scope !== 'prod' || access.table === '?' || !services.has(access.unit)) continue;
    const id = tableId(access.database, access.table);
    const owner = model.owners[id];
    if (!owner || owner.service === access.unit) continue;
    rows.push([
      ['service', access.unit],
      ['table', id],
      ['owner', owner.service],
      ['op', access.op],
    ]);
  }
  return countBy(rows, (row) => row);
}

const BASELINE_STATES: readonly BaselineState[] = ['new', 'updated', 'unchanged', 'absent'];

export function renderMetrics(input: ReportInput, _context: ReportContext): string {
  const findings = input.findings;
  const open = findings.filter(isOpen);
  const ruleIds = [...new Set([...input.rules.map((r) => r.id), ...open.map((f) => f.ruleId)])];
  const findingCounts = new Map<string, number>();
  for (const f of open) findingCounts.set(`${f.ruleId}\u0000${f.severity}`, (findingCounts.get(`${f.ruleId}\u0000${f.severity}`) ?? 0) + 1);

  const families: Family[] = [
    {
      name: 'boundary_cycles',
      help: 'Dependency cycles reported by no-cycles (declared-only cycles excluded).',
      samples: [{ labels: [], value: findings.filter((f) => f.ruleId === 'no-cycles' && f.messageId === 'cycle').length }],
    },
    {
      name: 'boundary_cross_service_db_accesses',
      help: "SQL statements in a service's production code that touch a table another service owns.",
      samples: crossServiceAccesses(input.model),
    },
    {
      name: 'boundary_findings',
      help: 'Open findings (not suppressed, not known from the baseline) by rule and severity.',
      samples: ruleIds.flatMap((rule) =>
        SEVERITIES.map((severity) => ({
          labels: [['rule', rule], ['severity', severity]] as Labels,
          value: findingCounts.get(`${rule}\u0000${severity}`) ?? 0,
        })),
      ),
    },
  ];
  if (input.baseline !== undefined || findings.some((f) => f.baselineState !== undefined)) {
    const count = (state: BaselineState): number =>
      state === 'absent' ? (input.baseline?.fixed.length ?? 0) : findings.filter((f) => f.suppressed === undefined && f.baselineState === state).length;
    families.push({
      name: 'boundary_baseline_findings',
      help: 'Findings by baseline state: new, updated (grown), unchanged (known), absent (fixed since the baseline).',
      samples: BASELINE_STATES.map((state) => ({ labels: [['state', state]] as Labels, value: count(state) })),
    });
  }

  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeOpenMetrics(family.help)}`, `# TYPE ${family.name} gauge`);
    for (const sample of [...family.samples].sort((a, b) => compareLabels(a.labels, b.labels))) {
      lines.push(`${family.name}${labelText(sample.labels)} ${sample.value}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
