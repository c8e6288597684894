import type { JsonSchema } from '../util/json-schema.js';
import { validate } from '../util/json-schema.js';
import type { ConfigSeverity, RuleSchemaSource } from './schema.js';
import { buildConfigSchema } from './schema.js';

/** A config problem the user must fix; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly problems: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface RuleSetting {
  severity: Exclude<ConfigSeverity, 'off'> | 'off';
  options: Record<string, unknown>;
}

/** The config after validation, with every default applied: later stages never test for undefined. */
export interface ResolvedConfig {
  /** The config file as shown to the user (relative to the cwd), or undefined when running on defaults. */
  file: string | undefined;
  /** Absolute path of the config file, for locations of its entries. */
  absolutePath?: string;
  /** Where each `tables` entry is written (1-based line and column), for owner evidence. */
  tableLocations?: Record<string, { line: number; column: number }>;
  /** Where each `rules.<id>` entry is written, for findings that point at the rule's settings. */
  ruleLocations?: Record<string, { line: number; column: number }>;
  services: string[] | undefined;
  libraries: string[] | undefined;
  /** Folder-declared units (config `units`), names unique. */
  units: DeclaredUnitConfig[];
  tables: Record<string, string>;
  aliases: Record<string, string>;
  /** Database name -> its datastore and the services using it (empty: the defaults apply). */
  databases: Record<string, { datastore: 'postgres' | 'sqlite' | 'mysql' | 'clickhouse'; services: string[] }>;
  rules: Record<string, RuleSetting>;
  ignore: string[];
}

/** One config `units` entry: a unit made of the files its globs match. */
export interface DeclaredUnitConfig {
  name: string;
  paths: string[];
  kind: 'service' | 'library';
  language?: 'rust' | 'typescript' | 'javascript';
}

/** Always left out of discovery, whatever the config says: build output and VCS data. */
export const DEFAULT_IGNORES = ['**/target/**', '**/node_modules/**', '**/.git/**', '**/.boundary-lint-cache/**'];

interface RuleWithDefaults extends RuleSchemaSource {
  meta: RuleSchemaSource['meta'] & { defaults: unknown };
}

function mapSeverity(value: string): RuleSetting['severity'] {
  return value as RuleSetting['severity'];
}

/** Validates a parsed config object and applies defaults; throws ConfigError naming each bad key. */
export function resolveConfig(raw: unknown, rules: readonly RuleWithDefaults[], file?: string): ResolvedConfig {
  const schema: JsonSchema = buildConfigSchema(rules);
  const errors = validate(raw ?? {}, schema);
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.path}: ${e.message}`);
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`, file, errors);
  }
  const config = (raw ?? {}) as {
    services?: string[];
    libraries?: string[];
    units?: DeclaredUnitConfig[];
    tables?: Record<string, string>;
    aliases?: Record<string, string>;
    databases?: ResolvedConfig['databases'];
    rules?: Record<string, string | [string, Record<string, unknown>?]>;
    ignore?: string[];
  };
  const seenUnits = new Map<string, number>();
  const unitProblems: { path: string; message: string }[] = [];
  (config.units ?? []).forEach((unit, index) => {
    const first = seenUnits.get(unit.name);
    if (first !== undefined) unitProblems.push({ path: `units[${index}].name`, message: `unit name "${unit.name}" is already declared by units[${first}]; names must be unique` });
    else seenUnits.set(unit.name, index);
  });
  if (unitProblems.length > 0) {
    const lines = unitProblems.map((e) => `  ${e.path}: ${e.message}`);
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`, file, unitProblems);
  }
  const resolvedRules: Record<string, RuleSetting> = {};
  for (const rule of rules) {
    const entry = config.rules?.[rule.id];
    const defaults = (rule.meta.defaults ?? {}) as Record<string, unknown>;
    if (entry === undefined) {
      resolvedRules[rule.id] = { severity: toConfigSeverity(rule.meta.defaultSeverity), options: { ...defaults } };
    } else if (typeof entry === 'string') {
      resolvedRules[rule.id] = { severity: mapSeverity(entry), options: { ...defaults } };
    } else {
      resolvedRules[rule.id] = { severity: mapSeverity(entry[0]), options: { ...defaults, ...(entry[1] ?? {}) } };
    }
  }
  return {
    file,
    services: config.services,
    libraries: config.libraries,
    units: (config.units ?? []).map((u) => ({ name: u.name, paths: [...u.paths], kind: u.kind, ...(u.language ? { language: u.language } : {}) })),
    tables: { ...(config.tables ?? {}) },
    aliases: { ...(config.aliases ?? {}) },
    databases: { ...(config.databases ?? {}) },
    rules: resolvedRules,
    ignore: [...DEFAULT_IGNORES, ...(config.ignore ?? [])],
  };
}

/** Rule metadata speaks of finding severities ('warning'); config speaks ESLint ('warn'). */
function toConfigSeverity(severity: string): RuleSetting['severity'] {
  return severity === 'warning' ? 'warn' : (severity as RuleSetting['severity']);
}
