import type { JsonSchema } from '../util/json-schema.js';
import { PROJECT_URL } from '../util/project-url.js';

/** What the config needs to know of a rule to validate its entry: id and options schema. */
export interface RuleSchemaSource {
  id: string;
  meta: { description: string; schema: JsonSchema; defaultSeverity: string };
}

export const CONFIG_FILE_NAME = 'boundary.config.json';
export const SCHEMA_ID = `${PROJECT_URL}/schema/boundary.config.schema.json`;

export const SEVERITY_VALUES = ['off', 'info', 'warn', 'error'] as const;
export type ConfigSeverity = (typeof SEVERITY_VALUES)[number];

const globList = (description: string): JsonSchema => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1 },
});

/**
 * The single source of the config format. The published `schema/boundary.config.schema.json`
 * is this function's output for the built-in rules (a test fails when the file is stale).
 */
export function buildConfigSchema(rules: readonly RuleSchemaSource[]): JsonSchema {
  const severity: JsonSchema = {
    type: 'string',
    enum: SEVERITY_VALUES,
    description: '"off" disables the rule; "info", "warn" and "error" set the severity of its findings.',
  };
  const ruleProperties: Record<string, JsonSchema> = {};
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    ruleProperties[rule.id] = {
      description: `${rule.meta.description} (default: ${rule.meta.defaultSeverity})`,
      oneOf: [
        severity,
        { type: 'array', items: [severity], minItems: 1, maxItems: 1 },
        { type: 'array', items: [severity, rule.meta.schema], minItems: 2, maxItems: 2 },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'boundary-lint configuration',
    description: 'Configuration of boundary-lint, read from boundary.config.json at the root of the analysed repository.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'Path or URL of this JSON Schema, for editors.' },
      services: globList(
        'Globs over unit paths (relative to the repository root) or unit names that are services. ' +
          'When absent, a crate with a binary target is a service, and an npm package with a `start` script or a Dockerfile.',
      ),
      libraries: globList('Globs over unit paths or names that are libraries (not nodes of the service graph).'),
      units: {
        type: 'array',
        description:
          'Units declared by folder, for any language: a repository without workspaces, or a single package whose folders are its modules. ' +
          'Each file belongs to at most one declared unit.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'paths', 'kind'],
          properties: {
            name: { type: 'string', minLength: 1, description: 'Unit name, unique among the declared units.' },
            paths: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', minLength: 1 },
              description: 'Globs (relative to the repository root) of the unit\'s files, e.g. "src/scan/**"; a plain directory means everything below it.',
            },
            kind: { type: 'string', enum: ['service', 'library'] },
            language: {
              type: 'string',
              enum: ['rust', 'typescript', 'javascript'],
              description: 'Default: inferred from the extensions of the matched files (.rs, .ts/.tsx/.mts/.cts, .js/.jsx/.mjs/.cjs).',
            },
          },
        },
      },
      tables: {
        type: 'object',
        description: 'Table ownership: table name or glob -> owning service. The most specific pattern wins.',
        propertyNames: { type: 'string', minLength: 1 },
        additionalProperties: { type: 'string', minLength: 1 },
      },
      aliases: {
        type: 'object',
        description: 'Extra names by which a unit is referred to in URLs, env vars and topics: alias -> unit name.',
        propertyNames: { type: 'string', minLength: 1 },
        additionalProperties: { type: 'string', minLength: 1 },
      },
      databases: {
        type: 'object',
        description:
          'Which services share which database: name -> {datastore, services}. Without it, every service\'s SQLite database is its own and PostgreSQL, MySQL and ClickHouse are one shared database each.',
        propertyNames: { type: 'string', minLength: 1 },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['datastore', 'services'],
          properties: {
            datastore: { type: 'string', enum: ['postgres', 'sqlite', 'mysql', 'clickhouse'] },
            services: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Unit names or globs that use this database.' },
          },
        },
      },
      rules: {
        type: 'object',
        description: 'Rule id -> "off" | "info" | "warn" | "error" | [severity, options]. Unlisted rules run at their default.',
        additionalProperties: false,
        properties: ruleProperties,
      },
      ignore: globList('Globs (relative to the repository root) of files and directories to leave out, e.g. "**/target/**".'),
    },
  };
}
