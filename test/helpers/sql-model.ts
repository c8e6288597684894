import type { Model, TableAccess, TableOwner, Unit } from '../../src/model/types.js';

export function unit(name: string, kind: Unit['kind'] = 'service'): Unit {
  return { name, kind, path: name, language: 'rust', manifest: `${name}/Cargo.toml`, workspace: 'Cargo.toml', kindSource: 'config:services', binaries: [], hasLibrary: false, externalDependencies: [] };
}

export function access(unitName: string, table: string, op: TableAccess['op'], line: number, extra: Partial<TableAccess> = {}): TableAccess {
  return {
    unit: unitName,
    table,
    datastore: 'postgres',
    database: 'postgres',
    op,
    statementKind: op === 'read' ? 'select' : op === 'write' ? 'insert' : 'create-table',
    scope: 'prod',
    dynamic: false,
    uncertain: false,
    location: { file: `${unitName}/src/db.rs`, line, column: 9 },
    statement: `${op} ${table}`,
    ...extra,
  };
}

/** A model with only what the SQL rules read. */
export function sqlModel(units: Unit[], tableAccesses: TableAccess[], owners: Record<string, TableOwner>, conflicts: Model['ownershipConflicts'] = []): Model {
  return { units, edges: [], diagnostics: [], topics: [], grpcServices: [], tableAccesses, owners, ownershipConflicts: conflicts };
}
