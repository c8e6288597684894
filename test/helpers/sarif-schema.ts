import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The OASIS SARIF 2.1.0 schema (errata01), kept in shared/ beside the clone, as in CI. */
export const SARIF_SCHEMA_FILE = path.resolve(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');

// Both packages are CommonJS with `exports.default`; under NodeNext the default import is the module.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

let compiled: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

function validator(): NonNullable<typeof compiled> {
  if (!compiled) {
    // Default (strict) mode: the schema is draft-04 and compiles cleanly; uri/uri-reference need ajv-formats.
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);
  }
  return compiled;
}

/** Schema errors of a SARIF log as `instancePath: message` lines; empty when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  const validate = validator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
