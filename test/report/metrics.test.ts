import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/check/types.js';
import type { Model } from '../../src/model/types.js';
import { escapeOpenMetrics, renderMetrics } from '../../src/report/metrics.js';
import type { ReportInput } from '../../src/report/types.js';
import { canonicalContext } from '../helpers/canonical-result.js';
import { access, sqlModel, unit } from '../helpers/sql-model.js';

function finding(ruleId: string, severity: Finding['severity'], messageId: string, extra: Record<string, unknown> = {}): Finding {
  return { ruleId, severity, messageId, message: 'm', location: { file: 'a.rs', line: 1, column: 1 }, related: [], fingerprint: '0', data: {}, suggestions: [], ...extra };
}

const rules = [{ id: 'no-cycles' }, { id: 'no-cross-service-db' }].map((r) => ({ id: r.id, meta: {} as never }));

function model(): Model {
  return sqlModel(
    [unit('orders'), unit('users'), unit('billing'), unit('shared', 'library'), unit('we"ird\\svc\nx')],
    [
      access('orders', 'users', 'read', 10),
      access('orders', 'users', 'read', 20),
      access('orders', 'users', 'write', 30),
      access('billing', 'users', 'read', 5),
      access('users', 'users', 'write', 7), // its own table
      access('orders', 'users', 'read', 40, { scope: 'test' }), // test scope
      access('shared', 'users', 'read', 1), // a library, not a service
      access('orders', 'nobody', 'read', 2), // no owner
      access('orders', '?', 'read', 3), // unknown table
      access('we"ird\\svc\nx', 'events', 'read', 4, { database: 'clickhouse', datastore: 'clickhouse' }),
    ],
    { users: { service: 'users', source: 'migrations' }, 'clickhouse:events': { service: 'billing', source: 'config', pattern: 'events' } },
  );
}

function input(findings: Finding[], m: Model = model()): ReportInput {
  return { root: '/repo', model: m, findings, rules, stats: { files: 0, manifests: 0 } };
}

const findings = [
  finding('no-cycles', 'error', 'cycle'),
  finding('no-cycles', 'error', 'cycle'),
  // Still a cycle in the architecture, but not open: counted in boundary_cycles only.
  finding('no-cycles', 'error', 'cycle', { suppressed: { reason: 'migrating', location: { file: 'a.rs', line: 1, column: 1 } } }),
  finding('no-cycles', 'info', 'declaredCycle'),
  finding('no-cross-service-db', 'error', 'read'),
  finding('no-cross-service-db', 'warning', 'write'),
];

describe('renderMetrics', () => {
  it('writes OpenMetrics text: HELP and TYPE per family, sorted samples, escaped labels, # EOF', () => {
    expect(renderMetrics(input(findings), canonicalContext()).split('\n')).toEqual([
      '# HELP boundary_cycles Dependency cycles reported by no-cycles (declared-only cycles excluded).',
      '# TYPE boundary_cycles gauge',
      'boundary_cycles 3',
      "# HELP boundary_cross_service_db_accesses SQL statements in a service's production code that touch a table another service owns.",
      '# TYPE boundary_cross_service_db_accesses gauge',
      'boundary_cross_service_db_accesses{service="billing",table="users",owner="users",op="read"} 1',
      'boundary_cross_service_db_accesses{service="orders",table="users",owner="users",op="read"} 2',
      'boundary_cross_service_db_accesses{service="orders",table="users",owner="users",op="write"} 1',
      'boundary_cross_service_db_accesses{service="we\\"ird\\\\svc\\nx",table="clickhouse:events",owner="billing",op="read"} 1',
      '# HELP boundary_findings Open findings (not suppressed, not known from the baseline) by rule and severity.',
      '# TYPE boundary_findings gauge',
      'boundary_findings{rule="no-cross-service-db",severity="error"} 1',
      'boundary_findings{rule="no-cross-service-db",severity="info"} 0',
      'boundary_findings{rule="no-cross-service-db",severity="warning"} 1',
      'boundary_findings{rule="no-cycles",severity="error"} 2',
      'boundary_findings{rule="no-cycles",severity="info"} 1',
      'boundary_findings{rule="no-cycles",severity="warning"} 0',
      '# EOF',
      '',
    ]);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    expect(escapeOpenMetrics('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('adds boundary_baseline_findings only when a baseline took part; known findings are not open', () => {
    const withBaseline = [
      finding('no-cycles', 'error', 'cycle', { baselineState: 'new' }),
      finding('no-cycles', 'error', 'cycle', { baselineState: 'unchanged' }),
      finding('no-cycles', 'error', 'cycle', { baselineState: 'new' }),
      finding('no-cross-service-db', 'error', 'read', { baselineState: 'updated' }),
    ];
    const baseline = { file: 'boundary-baseline.json', fixed: [{}, {}] as never[], shrinkable: 0 };
    const out = renderMetrics({ ...input(withBaseline), baseline }, canonicalContext());
    expect(out).toContain('boundary_cycles 3\n');
    expect(out).toContain('boundary_findings{rule="no-cycles",severity="error"} 2\n');
    expect(out).toContain(
      [
        '# HELP boundary_baseline_findings Findings by baseline state: new, updated (grown), unchanged (known), absent (fixed since the baseline).',
        '# TYPE boundary_baseline_findings gauge',
        'boundary_baseline_findings{state="absent"} 2',
        'boundary_baseline_findings{state="new"} 2',
        'boundary_baseline_findings{state="unchanged"} 1',
        'boundary_baseline_findings{state="updated"} 1',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(renderMetrics(input(findings), canonicalContext())).not.toContain('boundary_baseline_findings');
  });

  it('keeps families without samples (HELP and TYPE only) and is byte-identical when rendered again', () => {
    const empty = input([], sqlModel([], [], {}));
    const out = renderMetrics(empty, canonicalContext());
    expect(out).toContain('# TYPE boundary_cross_service_db_accesses gauge\n# HELP boundary_findings');
    expect(out).toContain('boundary_cycles 0\n');
    expect(out.endsWith('# EOF\n')).toBe(true);
    expect(renderMetrics(input(findings), canonicalContext())).toBe(renderMetrics(input(findings), canonicalContext()));
  });

  // An independent parser: prometheus_client's strict OpenMetrics parser (Debian python3-prometheus-client), when present.
  const parser = spawnSync('/usr/bin/python3', ['-c', 'import prometheus_client.openmetrics.parser'], { encoding: 'utf8' });
  it.skipIf(parser.status !== 0)('is accepted by prometheus_client\'s OpenMetrics parser (skipped without python3-prometheus-client)', () => {
    const text = renderMetrics({ ...input([...findings, finding('no-cycles', 'error', 'cycle', { baselineState: 'new' })]), baseline: { file: 'b.json', fixed: [], shrinkable: 0 } }, canonicalContext());
    const script = [
      'import sys, json',
      'from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse',
      'print(json.dumps([[f.name, f.type, [[s.name, s.labels, s.value] for s in f.samples]] for f in parse(sys.stdin.read())]))',
    ].join('\n');
    const parsed = spawnSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    const families = JSON.parse(parsed.stdout) as [string, string, [string, Record<string, string>, number][]][];
    expect(families.map(([name, type]) => `${name}:${type}`)).toEqual([
      'boundary_cycles:gauge',
      'boundary_cross_service_db_accesses:gauge',
      'boundary_findings:gauge',
      'boundary_baseline_findings:gauge',
    ]);
    expect(families[1]![2][3]![1]).toEqual({ service: 'we"ird\\svc\nx', table: 'clickhouse:events', owner: 'billing', op: 'read' });
  });
});
