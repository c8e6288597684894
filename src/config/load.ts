import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME } from './schema.js';
import { ConfigError, resolveConfig, type ResolvedConfig } from './resolve.js';

type Rules = Parameters<typeof resolveConfig>[1];

/** Line and column of a character offset, for JSON syntax errors. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Reads the config: `explicitPath` (from -c) must exist; otherwise `boundary.config.json` at the
 * analysed root is used when present, and defaults when not.
 */
export function loadConfig(root: string, explicitPath: string | undefined, rules: Rules, cwd: string): ResolvedConfig {
  const file = explicitPath !== undefined ? path.resolve(cwd, explicitPath) : path.join(root, CONFIG_FILE_NAME);
  if (!existsSync(file)) {
    if (explicitPath !== undefined) {
      throw new ConfigError(`config file not found: ${explicitPath} (pass an existing file to -c, or omit -c to use ${CONFIG_FILE_NAME} at the root)`, file);
    }
    return resolveConfig({}, rules, undefined);
  }
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${shown}: ${(error as Error).message}`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    const where = match ? positionOf(text, Number(match[1])) : undefined;
    throw new ConfigError(
      `${shown}${where ? `:${where.line}:${where.column}` : ''}: not valid JSON (${message}). The config is plain JSON: no comments, no trailing commas.`,
      file,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${shown}: the config must be a JSON object, e.g. { "rules": { "no-cycles": "error" } }`, file);
  }
  const resolved = resolveConfig(raw, rules, shown);
  const ruleIds = Object.keys((raw as { rules?: Record<string, unknown> }).rules ?? {});
  return {
    ...resolved,
    absolutePath: file,
    tableLocations: locateEntries(text, '"tables"', Object.keys(resolved.tables)),
    ruleLocations: locateEntries(text, '"rules"', ruleIds),
  };
}

/** Line and column of each key of a top-level section (`"tables"`, `"rules"`): its first occurrence after the section name. */
function locateEntries(text: string, section: string, keys: readonly string[]): Record<string, { line: number; column: number }> {
  const locations: Record<string, { line: number; column: number }> = {};
  const start = text.indexOf(section);
  if (start < 0) return locations;
  for (const key of keys) {
    const at = text.indexOf(JSON.stringify(key), start);
    if (at >= 0) locations[key] = positionOf(text, at);
  }
  return locations;
}
