import type { Diagnostic, Location } from '../../model/types.js';

/**
 * Facts from one `pnpm-workspace.yaml`: the `packages` globs. The file is YAML, but pnpm reads
 * only a few top-level keys from it and `packages` is a flat list of strings, so this reads that
 * small subset (decision 0014): a top-level `packages:` key followed by a block sequence of plain,
 * single- or double-quoted scalars, or a one-line flow sequence `['a', "b"]`; comments anywhere.
 * Other top-level keys (`catalog`, `onlyBuiltDependencies`, ...) are skipped. Anything else under
 * `packages` (anchors, tags, block scalars, multi-line flow) is a diagnostic, never a guess.
 */
export interface PnpmWorkspace {
  file: string;
  /** Whether a top-level `packages` key is present. */
  hasPackages: boolean;
  patterns: string[];
  /** Where each pattern is written (same order as `patterns`). */
  patternLocations: Location[];
  /** The `packages` key, or the start of the file. */
  location: Location;
  diagnostics: Diagnostic[];
}

const TOP_LEVEL_KEY = /^(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*:(?=\s|$)(.*)$/;

/** Removes a ` # comment` that follows a plain scalar. */
function stripComment(text: string): string {
  const hash = /(^|\s)#/.exec(text);
  return (hash ? text.slice(0, hash.index) : text).trimEnd();
}

interface Scalar {
  value?: string;
  /** Why the text is not a scalar of the subset. */
  problem?: string;
  /** Length of the scalar's text (for the end column). */
  length: number;
}

/** Reads one scalar at the start of `text` (after the `- ` or inside a flow list); `rest` is what follows. */
function readScalar(text: string, inFlow: boolean): Scalar & { rest: string } {
  const first = text[0];
  if (first === "'") {
    let i = 1;
    let value = '';
    for (;;) {
      if (i >= text.length) return { problem: 'unterminated single-quoted string', length: text.length, rest: '' };
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        break;
      }
      value += text[i];
      i++;
    }
    return { value, length: i + 1, rest: text.slice(i + 1) };
  }
  if (first === '"') {
    let i = 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) return { problem: 'unterminated double-quoted string', length: text.length, rest: '' };
    try {
      return { value: JSON.parse(text.slice(0, i + 1)) as string, length: i + 1, rest: text.slice(i + 1) };
    } catch {
      return { problem: 'a double-quoted string with an escape this reader does not support', length: i + 1, rest: text.slice(i + 1) };
    }
  }
  const end = inFlow ? text.search(/[,\]]/) : -1;
  const raw = stripComment(end >= 0 ? text.slice(0, end) : text).trim();
  const rest = end >= 0 ? text.slice(end) : '';
  if (raw === '') return { problem: 'an empty entry', length: 0, rest };
  if (/^[!&*|>{[@`%]/.test(raw)) {
    const why =
      raw[0] === '!'
        ? `\`${raw}\` unquoted is a YAML tag, not a negated pattern; write '${raw}'`
        : raw[0] === '*'
          ? `\`${raw}\` unquoted is a YAML alias; quote the glob: '${raw}'`
          : `\`${raw}\` starts with a YAML indicator this reader does not support; quote it`;
    return { problem: why, length: raw.length, rest };
  }
  if (/:\s/.test(raw) || raw.endsWith(':')) return { problem: `\`${raw}\` is a mapping, not a glob`, length: raw.length, rest };
  return { value: raw, length: raw.length, rest };
}

/** Reads one pnpm-workspace.yaml. Pure: (path, text) -> facts; never throws. */
export function scanPnpmWorkspace(file: string, text: string): PnpmWorkspace {
  const facts: PnpmWorkspace = { file, hasPackages: false, patterns: [], patternLocations: [], location: { file, line: 1, column: 1 }, diagnostics: [] };
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const unsupported = (lineIndex: number, column: number, message: string): void => {
    facts.diagnostics.push({ severity: 'warning', code: 'workspace-file-unsupported', message: `${message}; the entry is ignored`, location: { file, line: lineIndex + 1, column } });
  };
  const add = (value: string, lineIndex: number, column: number, length: number): void => {
    facts.patterns.push(value.trim());
    facts.patternLocations.push({ file, line: lineIndex + 1, column, endLine: lineIndex + 1, endColumn: column + length });
  };
  let inPackages = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#') || line === '---' || line === '...') continue;
    const indent = line.length - content.length;
    if (line.slice(0, indent).includes('\t')) {
      if (inPackages) unsupported(index, 1, 'a tab in the indentation is not valid YAML');
      continue;
    }
    if (indent === 0 && !content.startsWith('-')) {
      const key = TOP_LEVEL_KEY.exec(line);
      inPackages = false;
      if (!key) continue;
      const name = key[1] ?? key[2] ?? key[3];
      if (name !== 'packages') continue;
      facts.hasPackages = true;
      facts.location = { file, line: index + 1, column: 1, endLine: index + 1, endColumn: 1 + line.indexOf(':') };
      const value = stripComment(key[4]!).trim();
      if (value === '') {
        inPackages = true;
        continue;
      }
      if (value === '[]' || value === '~' || value === 'null') continue;
      if (!value.startsWith('[') || !value.endsWith(']')) {
        unsupported(index, line.indexOf(value) + 1, '`packages` is neither a list of globs nor a one-line `[...]` list');
        continue;
      }
      // A one-line flow sequence: ['apps/*', "packages/*", tools/cli]
      const open = line.indexOf('[');
      let rest = line.slice(open + 1);
      let offset = open + 1;
      for (;;) {
        const trimmed = rest.trimStart();
        offset += rest.length - trimmed.length;
        rest = trimmed;
        if (rest.startsWith(']') || rest === '') break;
        const scalar = readScalar(rest, true);
        if (scalar.value !== undefined) add(scalar.value, index, offset + 1, scalar.length);
        else unsupported(index, offset + 1, scalar.problem!);
        const consumed = rest.length - scalar.rest.length;
        offset += consumed;
        rest = scalar.rest.trimStart();
        offset += scalar.rest.length - rest.length;
        if (rest.startsWith(',')) {
          rest = rest.slice(1);
          offset += 1;
          continue;
        }
        break;
      }
      continue;
    }
    if (!inPackages) continue;
    if (!content.startsWith('-') || (content.length > 1 && content[1] !== ' ')) {
      unsupported(index, indent + 1, 'only `- <glob>` entries are read under `packages`');
      continue;
    }
    const afterDash = content.slice(1);
    const item = afterDash.trimStart();
    const column = indent + 2 + (afterDash.length - item.length);
    const scalar = readScalar(item, false);
    if (scalar.value === undefined) {
      unsupported(index, column, scalar.problem!);
      continue;
    }
    const trailing = stripComment(scalar.rest).trim();
    if (trailing !== '') {
      unsupported(index, column, `unexpected text after the entry: \`${trailing}\``);
      continue;
    }
    add(scalar.value, index, column, scalar.length);
  }
  return facts;
}
