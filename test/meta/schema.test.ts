import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { buildConfigSchema } from '../../src/config/schema.js';
import { rules } from '../../rules/index.js';

const schemaFile = path.resolve(__dirname, '../../schema/boundary.config.schema.json');

describe('published config schema', () => {
  it('is up to date with src/config/schema.ts and the rule registry (UPDATE_SCHEMA=1 rewrites it)', () => {
    const expected = `${JSON.stringify(buildConfigSchema(rules), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaFile, expected);
    expect(readFileSync(schemaFile, 'utf8')).toBe(expected);
  });

  it('is a valid draft-07 schema that accepts the bundled sample configs', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const sample = JSON.parse(readFileSync(path.resolve(__dirname, '../../boundary.config.json'), 'utf8'));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ rules: { 'no-cycle': 'error' } })).toBe(false);
  });
});
