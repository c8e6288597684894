import { run, type RunResult } from '../../../src/run.js';
import type { Edge, TableAccess } from '../../../src/model/types.js';
import { writeRepo, type FileMap } from '../../helpers/repo.js';

const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, version: '1.0.0', ...extra }, null, 2);

/**
 * A pnpm workspace: services `@x/api` and `@x/worker`, libraries `@x/db` and `@x/lib`. `deps`
 * adds dependencies to a package (by directory name), e.g. `{ api: ['pg'] }`.
 */
export function workspace(files: FileMap, deps: Record<string, string[]> = {}): FileMap {
  const dependencies = (dir: string, base: Record<string, string> = {}): Record<string, string> => ({ ...base, ...Object.fromEntries((deps[dir] ?? []).map((d) => [d, d.startsWith('@x/') ? 'workspace:*' : '^1.0.0'])) });
  return {
    'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
    'package.json': JSON.stringify({ name: 'root', private: true }),
    'packages/api/package.json': pkg('@x/api', { scripts: { start: 'node dist/main.js' }, dependencies: dependencies('api') }),
    'packages/worker/package.json': pkg('@x/worker', { scripts: { start: 'node dist/main.js' }, dependencies: dependencies('worker') }),
    'packages/db/package.json': pkg('@x/db', { main: 'dist/index.js', dependencies: dependencies('db') }),
    'packages/lib/package.json': pkg('@x/lib', { main: 'dist/index.js', dependencies: dependencies('lib') }),
    ...files,
  };
}

export async function runRepo(files: FileMap): Promise<RunResult> {
  return run({ root: '.', cwd: writeRepo(files), includeTests: false });
}

const at = (l: { file: string; line: number; column: number }): string => `${l.file.replace(/^packages\//, '')}:${l.line}:${l.column}`;

/** `unit op datastore:table scope kind @file:line:col [dynamic] [via fn]`, one line per access. */
export function accessLines(result: RunResult): string[] {
  return result.model.tableAccesses.map((a: TableAccess) =>
    `${a.unit} ${a.op} ${a.datastore}:${a.table} ${a.scope} ${a.statementKind} @${at(a.location)}${a.dynamic ? ' dynamic' : ''}${a.via ? ` via ${a.via.function} from ${at(a.via.callSite)}` : ''}`,
  );
}

/** Source edges other than imports: `from -> to kind scope [usage] [service|topic|endpoint] @evidence`. */
export function edgeLines(result: RunResult, kinds: readonly string[] = ['http', 'event', 'grpc']): string[] {
  return result.model.edges
    .filter((e: Edge) => kinds.includes(e.kind))
    .map((e) => `${e.from} -> ${e.to} ${e.kind} ${e.scope}${e.usage ? ` ${e.usage}` : ''} ${e.service ?? e.topic ?? e.endpoint ?? ''} @${e.evidence.map(at).join(',')}${e.via ? ` via ${e.via.map((v) => `${v.unit}::${v.function}`).join(',')}` : ''}`);
}

export function diagnosticLines(result: RunResult, codes: readonly string[]): string[] {
  return result.model.diagnostics.filter((d) => codes.includes(d.code)).map((d) => `${d.code} @${d.location ? at(d.location) : '-'}`);
}
