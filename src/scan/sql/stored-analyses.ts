/**
 * Statement analyses as JSON, so that a later run can take them instead of parsing again (the
 * model cache stores them; src/run/build-model.ts decides when). Reading checks every entry: the
 * file lives in the user's cache directory, and a damaged entry is dropped, which only means
 * that statement is parsed again.
 */
import type { AnalysisStore, SqlDialect, StatementAnalysis, StatementKind } from './analyze.js';

/** The JSON form: per dialect, `[statement text, analysis]` pairs. */
export interface StoredAnalyses {
  version: 1;
  dialects: Partial<Record<SqlDialect, [string, StatementAnalysis][]>>;
}

const DIALECTS: ReadonlySet<string> = new Set<SqlDialect>(['postgres', 'clickhouse', 'sqlite', 'mysql']);
const KINDS: ReadonlySet<string> = new Set<StatementKind>([
  'select', 'insert', 'update', 'delete', 'merge', 'truncate', 'copy', 'create-table', 'create-view', 'create-index',
  'create-function', 'create-trigger', 'create-other', 'alter-table', 'alter-other', 'drop', 'empty', 'other',
]);

export function storedAnalysesOf(store: AnalysisStore): StoredAnalyses {
  const dialects: StoredAnalyses['dialects'] = {};
  for (const [dialect, analyses] of store) dialects[dialect] = [...analyses];
  return { version: 1, dialects };
}

/** The analyses in a stored value, valid entries only; undefined when the value is not stored analyses at all. */
export function analysesFromStored(value: unknown): AnalysisStore | undefined {
  if (!isObject(value) || value.version !== 1 || !isObject(value.dialects)) return undefined;
  const store: AnalysisStore = new Map();
  for (const [dialect, entries] of Object.entries(value.dialects)) {
    if (!DIALECTS.has(dialect) || !Array.isArray(entries)) continue;
    const analyses = new Map<string, StatementAnalysis>();
    for (const entry of entries as unknown[]) {
      if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && isAnalysis(entry[1])) analyses.set(entry[0], entry[1]);
    }
    store.set(dialect as SqlDialect, analyses);
  }
  return store;
}

function isAnalysis(value: unknown): value is StatementAnalysis {
  if (!isObject(value)) return false;
  const { kind, reads, writes, ddl, uncertain, parser, error } = value;
  if (typeof kind !== 'string' || !KINDS.has(kind) || typeof uncertain !== 'boolean') return false;
  if (parser !== 'libpg-query' && parser !== 'fallback') return false;
  if (![reads, writes, ddl].every((list) => Array.isArray(list) && list.every((table) => typeof table === 'string'))) return false;
  return error === undefined || (isObject(error) && typeof error.message === 'string' && Number.isInteger(error.offset));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
