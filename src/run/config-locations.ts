import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import type { Location } from '../model/types.js';

/** Repo-relative POSIX path of the config file, when it lies inside the analysed root. */
export function configFileOf(config: ResolvedConfig, root: string): string | undefined {
  if (!config.absolutePath) return undefined;
  const relative = path.relative(root, config.absolutePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** Locations of config entries (`tables` patterns, `rules` ids), when the config file lies inside the analysed root. */
export function configLocations(config: ResolvedConfig, entries: ResolvedConfig['tableLocations'], root: string): Record<string, Location> {
  const file = configFileOf(config, root);
  if (file === undefined || !entries) return {};
  const result: Record<string, Location> = {};
  for (const [key, at] of Object.entries(entries)) result[key] = { file, line: at.line, column: at.column };
  return result;
}
