import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Datastore, Diagnostic, Location } from '../../model/types.js';

/**
 * A sqlc configuration (`sqlc.yaml`, `sqlc.yml`, `sqlc.json`): which query files sqlc compiles
 * into code, for which database engine, and where the generated code goes. Both config
 * versions are read: version 2 (`sql: [{engine, queries, schema, gen: {go: {out}}, codegen:
 * [{out}]}]`) and version 1 (`packages: [{engine, queries, schema, path}]`). Paths are as
 * written, relative to the config file's directory.
 */
export interface SqlcConfig {
  file: string;
  entries: SqlcEntry[];
  diagnostics: Diagnostic[];
}

export interface SqlcEntry {
  datastore: Datastore;
  /** Query files or directories of query files. */
  queries: string[];
  /** Directories that receive the generated code (the code that runs the queries). */
  outputs: string[];
  /** The entry in the config file. */
  location: Location;
}

const ENGINES: Record<string, Datastore> = { postgresql: 'postgres', postgres: 'postgres', mysql: 'mysql', sqlite: 'sqlite' };

export { isSqlcConfigFile } from './file-names.js';

export function scanSqlcConfig(file: string, text: string): SqlcConfig {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineCounter();
  // JSON is YAML, so one parser reads all three file names.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const locate = (node: YamlNode | null | undefined): Location => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const { line, col } = lines.linePos(error.pos[0]);
    diagnostics.push({ severity: 'warning', code: 'sqlc-config-parse-error', message: `sqlc config does not parse: ${error.message.split('\n')[0]}; its queries are not read`, location: { file, line, column: col } });
    return { file, entries: [], diagnostics };
  }
  const root = document.contents;
  const entries: SqlcEntry[] = [];
  if (!isMap(root)) return { file, entries, diagnostics };
  const list = root.get('sql', true) ?? root.get('packages', true);
  if (!isSeq(list)) return { file, entries, diagnostics };
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const engine = String(item.get('engine') ?? 'postgresql').toLowerCase();
    const datastore = ENGINES[engine];
    if (datastore === undefined) {
      diagnostics.push({ severity: 'info', code: 'sqlc-engine-unknown', message: `sqlc engine "${engine}" is not one boundary-lint analyses; its queries are not read`, location: locate(item as YamlNode) });
      continue;
    }
    const outputs = [...stringsOf(item.get('path')), ...generatedOutputs(item.get('gen', true)), ...codegenOutputs(item.get('codegen', true))];
    entries.push({ datastore, queries: stringsOf(item.get('queries')), outputs, location: locate(item as YamlNode) });
  }
  return { file, entries, diagnostics };
}

/** A string or a list of strings (sqlc accepts both for `queries` and `schema`). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (isSeq(value)) return value.items.flatMap((v) => (typeof v === 'object' && v !== null && 'value' in v && typeof v.value === 'string' ? [v.value] : []));
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** `gen: {go: {out: ..}, kotlin: {out: ..}}` (version 2). */
function generatedOutputs(gen: unknown): string[] {
  if (!isMap(gen)) return [];
  return gen.items.flatMap((pair) => (isMap(pair.value) ? stringsOf(pair.value.get('out')) : []));
}

/** `codegen: [{out: src/db, plugin: ts}]` (version 2 plugins, e.g. sqlc-gen-typescript). */
function codegenOutputs(codegen: unknown): string[] {
  if (!isSeq(codegen)) return [];
  return codegen.items.flatMap((item) => (isMap(item) ? stringsOf(item.get('out')) : []));
}
