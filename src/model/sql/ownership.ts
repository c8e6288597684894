import picomatch from 'picomatch';
import type { StatementAnalyzer } from '../../scan/sql/analyze.js';
import { splitSqlStatements } from '../../scan/sql/split.js';
import type { Diagnostic, Location, OwnershipConflict, TableAccess, TableOwner, Unit } from '../types.js';
import { compareStrings } from '../../util/location.js';
import { lineIndex } from '../../util/line-index.js';
import { tableId } from './table-accesses.js';

/** A `.sql` file under a `migrations/` directory. */
export interface MigrationFile {
  file: string;
  text: string;
}

/** One source claiming a table for a service. */
export interface OwnershipClaim extends TableOwner {
  table: string;
}


export interface Ownership {
  /** Table id -> the winning owner. */
  owners: Record<string, TableOwner>;
  conflicts: OwnershipConflict[];
  /** Tables created by migrations (table id -> first CREATE location), for unowned-table context. */
  created: Map<string, Location>;
  diagnostics: Diagnostic[];
}

const RANK: Record<TableOwner['source'], number> = { config: 3, 'check-constraint': 2, 'owner-comment': 2, migrations: 1 };

const CHECK_OWNER = /CHECK\s*\(\s*service_owner\s*=\s*'([^']+)'\s*\)/i;
const OWNER_COMMENT = /--\s*boundary-lint:\s*owner\s*=\s*([A-Za-z0-9_.-]+)/i;
const DROP_CONSTRAINT = /\bDROP\s+CONSTRAINT\b/i;

/** Literal characters of a glob: the more, the more specific the pattern. */
function specificity(pattern: string): number {
  return /[*?[\]{}!]/.test(pattern) ? pattern.replace(/[*?[\]{}!]/g, '').length : Number.POSITIVE_INFINITY;
}

/**
 * Who owns each table, from (in order of precedence) the config `tables` map, declarations in
 * migration SQL (`CHECK (service_owner = '..')`, `-- boundary-lint: owner=..` above a CREATE
 * TABLE), and the service whose own `migrations/` directory creates the table. Equal-rank claims
 * that disagree are conflicts; an owner that is no unit is a warning, not a crash.
 */
export function resolveOwnership(
  units: readonly Unit[],
  configTables: Readonly<Record<string, string>>,
  migrations: readonly MigrationFile[],
  accesses: readonly TableAccess[],
  analyzer: StatementAnalyzer,
  /** Where each config `tables` pattern is written, when the config file lies in the repository. */
  configLocations: Readonly<Record<string, Location>> = {},
): Ownership {
  const diagnostics: Diagnostic[] = [];
  const claims = new Map<string, OwnershipClaim[]>();
  const created = new Map<string, Location>();
  const claim = (entry: OwnershipClaim): void => {
    const list = claims.get(entry.table) ?? [];
    if (!list.some((c) => c.service === entry.service && c.source === entry.source)) list.push(entry);
    claims.set(entry.table, list);
  };
  const unitByDir = [...units].sort((a, b) => b.path.length - a.path.length);
  const ownerUnitOf = (file: string): Unit | undefined =>
    unitByDir.find((u) => u.path !== '.' && file.startsWith(`${u.path}/`) && file.slice(u.path.length + 1).split('/').includes('migrations'));

  // Migrations, in file order: CHECK constraints and owner comments, then "created by".
  for (const migration of [...migrations].sort((a, b) => compareStrings(a.file, b.file))) {
    const unit = ownerUnitOf(migration.file);
    const positionOf = lineIndex(migration.text);
    for (const statement of splitSqlStatements(migration.text)) {
      const location: Location = { file: migration.file, ...positionOf(statement.offset) };
      const analysis = analyzer.analyzeStatement(statement.text, 'postgres');
      const targets = analysis.ddl.map((t) => tableId('postgres', t));
      const isCreate = analysis.kind === 'create-table';
      if (isCreate) {
        for (const table of targets) {
          if (!created.has(table)) created.set(table, location);
          if (unit?.kind === 'service') claim({ table, service: unit.name, source: 'migrations', location });
        }
        // `-- boundary-lint: owner=x` in the lines right above the statement.
        const preceding = migration.text.slice(Math.max(0, statement.offset - 300), statement.offset).split('\n').slice(-3).join('\n');
        const comment = OWNER_COMMENT.exec(preceding);
        if (comment) for (const table of targets) claim({ table, service: comment[1]!, source: 'owner-comment', location });
      }
      // A dropped constraint no longer claims the table (the seed's Phase 2 moves ownership so).
      if (DROP_CONSTRAINT.test(statement.text)) {
        for (const table of targets) {
          const list = claims.get(table);
          if (list) claims.set(table, list.filter((c) => c.source !== 'check-constraint'));
        }
      }
      const check = CHECK_OWNER.exec(statement.text);
      if (check && targets.length > 0) {
        for (const table of targets) {
          const entry: OwnershipClaim = { table, service: check[1]!, source: 'check-constraint', location };
          // Two live constraints naming different services both stay: that is a conflict.
          claim(entry);
        }
      }
    }
  }

  // Config patterns, matched against every table we know of.
  const known = new Set<string>([...claims.keys(), ...created.keys(), ...accesses.map((a) => tableId(a.database, a.table))]);
  for (const pattern of Object.keys(configTables)) if (!/[*?[\]{}!]/.test(pattern)) known.add(pattern);
  const patterns = Object.entries(configTables).map(([pattern, service]) => ({ pattern, service, isMatch: picomatch(pattern, { dot: true }), specificity: specificity(pattern) }));
  for (const table of known) {
    const matching = patterns.filter((p) => p.isMatch(table)).sort((a, b) => b.specificity - a.specificity);
    if (matching.length > 0) {
      const { pattern, service } = matching[0]!;
      const location = configLocations[pattern];
      claim({ table, service, source: 'config', pattern, ...(location ? { location } : {}) });
    }
  }

  const owners: Record<string, TableOwner> = {};
  const conflicts: OwnershipConflict[] = [];
  const unitNames = new Set(units.map((u) => u.name));
  const warned = new Set<string>();
  for (const table of [...claims.keys()].sort(compareStrings)) {
    const list = claims.get(table)!;
    const best = Math.max(...list.map((c) => RANK[c.source]));
    const top = list.filter((c) => RANK[c.source] === best);
    const services = [...new Set(top.map((c) => c.service))];
    if (services.length > 1) {
      conflicts.push({ table, source: top[0]!.source, claims: top });
      continue;
    }
    const winner = top.find((c) => c.source !== 'owner-comment') ?? top[0]!;
    const owner: TableOwner = { service: winner.service, source: winner.source };
    if (winner.pattern !== undefined) owner.pattern = winner.pattern;
    if (winner.location !== undefined) owner.location = winner.location;
    owners[table] = owner;
    if (!unitNames.has(winner.service) && !warned.has(winner.service)) {
      warned.add(winner.service);
      diagnostics.push({
        severity: 'warning',
        code: 'owner-not-a-unit',
        message: `table owner \`${winner.service}\` (${winner.source}${winner.pattern ? ` "${winner.pattern}"` : ''}) is not a unit of this repository; accesses to its tables by any service count as cross-service`,
        ...(winner.location ? { location: winner.location } : {}),
      });
    }
  }
  return { owners, conflicts, created, diagnostics };
}
