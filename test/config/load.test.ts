import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/resolve.js';
import { rules } from '../../rules/index.js';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'boundary-config-'));
}

describe('loadConfig', () => {
  it('runs on defaults when the root has no config file', () => {
    const dir = tempDir();
    const config = loadConfig(dir, undefined, rules, dir);
    expect(config.file).toBeUndefined();
    expect(config.rules['no-cycles']!.severity).toBe('error');
  });

  it('reports a JSON syntax error with line and column', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'boundary.config.json'), '{\n  "rules": {\n    "no-cycles": "error",\n  }\n}\n');
    expect(() => loadConfig(dir, undefined, rules, dir)).toThrowError(/boundary\.config\.json:4:3: not valid JSON/);
  });

  it('fails clearly when -c names a missing file', () => {
    const dir = tempDir();
    expect(() => loadConfig(dir, 'nope.json', rules, dir)).toThrowError(ConfigError);
    expect(() => loadConfig(dir, 'nope.json', rules, dir)).toThrowError(/config file not found: nope\.json/);
  });

  it('rejects a config that is not an object', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'boundary.config.json'), '["no-cycles"]');
    expect(() => loadConfig(dir, undefined, rules, dir)).toThrowError(/must be a JSON object/);
  });
});
