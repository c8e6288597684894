import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/resolve.js';
import { rules } from '../../rules/index.js';

function problemsOf(raw: unknown): { path: string; message: string }[] {
  try {
    resolveConfig(raw, rules, 'boundary.config.json');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('resolveConfig', () => {
  it('applies every default when the config is empty', () => {
    const config = resolveConfig({}, rules);
    expect(config.rules['no-cycles']).toEqual({
      severity: 'error',
      options: { between: 'services', kinds: ['crate', 'crate-build', 'package', 'import', 'grpc', 'http'], includeDeclared: false, maxCycles: 100 },
    });
    expect(config.ignore).toContain('**/target/**');
    expect(config.tables).toEqual({});
    expect(config.services).toBeUndefined();
  });

  it('accepts the public contract keys from the issue', () => {
    const config = resolveConfig(
      {
        services: ['backend/*-service', 'backend/graphql-gateway'],
        libraries: ['backend/libs/*'],
        tables: { users: 'user-service', 'post_*': 'content-service' },
        rules: { 'no-cycles': ['warn', { between: 'units' }] },
        ignore: ['**/target/**'],
      },
      rules,
    );
    expect(config.services).toEqual(['backend/*-service', 'backend/graphql-gateway']);
    expect(config.rules['no-cycles']!.severity).toBe('warn');
    expect(config.rules['no-cycles']!.options.between).toBe('units');
    // Options not given keep their defaults.
    expect(config.rules['no-cycles']!.options.maxCycles).toBe(100);
  });

  it('accepts folder-declared units and keeps them in order; names must be unique', () => {
    const units = [
      { name: 'scan', paths: ['src/scan/**'], kind: 'library' },
      { name: 'cli', paths: ['src/cli', 'bin/*.js'], kind: 'service', language: 'typescript' },
    ];
    expect(resolveConfig({ units }, rules).units).toEqual(units);
    expect(resolveConfig({}, rules).units).toEqual([]);
    expect(problemsOf({ units: [...units, { name: 'scan', paths: ['lib/**'], kind: 'library' }] })).toEqual([
      { path: 'units[2].name', message: 'unit name "scan" is already declared by units[0]; names must be unique' },
    ]);
    expect(problemsOf({ units: [{ name: 'x', paths: [], kind: 'library' }] }).map((p) => p.path)).toEqual(['units[0].paths']);
    expect(problemsOf({ units: [{ name: 'x', paths: ['a'], kind: 'module' }] }).map((p) => p.path)).toEqual(['units[0].kind']);
  });

  it('turns a rule off', () => {
    expect(resolveConfig({ rules: { 'no-cycles': 'off' } }, rules).rules['no-cycles']!.severity).toBe('off');
    expect(resolveConfig({ rules: { 'no-cycles': ['off'] } }, rules).rules['no-cycles']!.severity).toBe('off');
  });

  it('names a misspelt top-level key and suggests the nearest known one', () => {
    const [problem, ...rest] = problemsOf({ servces: ['a'] });
    expect(rest).toEqual([]);
    expect(problem!.path).toBe('servces');
    expect(problem!.message).toContain('did you mean "services"?');
  });

  it('names an unknown rule id and suggests the nearest rule', () => {
    const [problem] = problemsOf({ rules: { 'no-cycle': 'error' } });
    expect(problem!.path).toBe('rules.no-cycle');
    expect(problem!.message).toContain('did you mean "no-cycles"?');
  });

  it('says which severities are allowed, with a hint for ESLint-style numbers and typos', () => {
    const [numeric] = problemsOf({ rules: { 'no-cycles': 2 } });
    expect(numeric!.path).toBe('rules.no-cycles');
    expect(numeric!.message).toContain('found 2');
    const [typo] = problemsOf({ rules: { 'no-cycles': 'eror' } });
    expect(typo!.message).toContain('did you mean "error"?');
  });

  it('validates rule options against the rule schema, naming the option path', () => {
    const [problem] = problemsOf({ rules: { 'no-cycles': ['error', { between: 'crates' }] } });
    expect(problem!.path).toBe('rules.no-cycles[1].between');
    expect(problem!.message).toContain('"services", "units"');
    const [unknown] = problemsOf({ rules: { 'no-cycles': ['error', { maxCycle: 3 }] } });
    expect(unknown!.path).toBe('rules.no-cycles[1].maxCycle');
    expect(unknown!.message).toContain('did you mean "maxCycles"?');
  });

  it('rejects wrong types for globs and tables, naming what was found', () => {
    const problems = problemsOf({ services: 'backend/*', tables: { users: 3 } });
    expect(problems.map((p) => p.path).sort()).toEqual(['services', 'tables.users']);
    expect(problems.find((p) => p.path === 'services')!.message).toContain('an array of');
  });
});
