import { lineIndex } from '../../util/line-index.js';

/**
 * Positions of keys and table headers in a TOML document. TOML parsers return values without
 * positions, so this reads the document's line structure (headers, keys, and enough of strings,
 * arrays and inline tables to skip them) to say where each key is. It assumes the document
 * parsed, so it does not validate.
 */

export interface KeySpan {
  line: number;
  /** 1-based column of the first character of the key. */
  column: number;
  /** Exclusive end column of the key. */
  endColumn: number;
  /** Keys with a value: the line the value ends on, when it continues past the key's line (an inline table or array broken over lines). */
  valueEndLine?: number;
}

/** Index of `[table.path]` headers and `key.path = value` lines by their full key path. */
export class TomlLocations {
  private readonly spans = new Map<string, KeySpan>();

  static pathKey(path: readonly string[]): string {
    return path.join('\u0000');
  }

  record(path: readonly string[], span: KeySpan): void {
    const key = TomlLocations.pathKey(path);
    if (!this.spans.has(key)) this.spans.set(key, span);
  }

  /** The span of the key (or table header) at `path`, or of its nearest recorded ancestor. */
  find(path: readonly string[]): KeySpan | undefined {
    for (let length = path.length; length > 0; length--) {
      const span = this.spans.get(TomlLocations.pathKey(path.slice(0, length)));
      if (span) return span;
    }
    return undefined;
  }

  /** The span recorded for exactly this path. */
  get(path: readonly string[]): KeySpan | undefined {
    return this.spans.get(TomlLocations.pathKey(path));
  }
}

const BARE_KEY = /[A-Za-z0-9_-]/;

interface KeyParse {
  path: string[];
  /** Index just past the key. */
  end: number;
  /** Index and end of the last segment, for the span. */
  lastStart: number;
  firstStart: number;
}

/** Parses a dotted key starting at `start` (after whitespace); returns undefined if none is there. */
function parseKey(text: string, start: number): KeyParse | undefined {
  const path: string[] = [];
  let i = start;
  let firstStart = -1;
  let lastStart = start;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    lastStart = i;
    if (firstStart < 0) firstStart = i;
    const ch = text[i];
    if (ch === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          const next = text[i + 1];
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
          if (next === 'u' || next === 'U') {
            const length = next === 'u' ? 4 : 8;
            value += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + length), 16));
            i += 2 + length;
            continue;
          }
          value += escapes[next ?? ''] ?? next ?? '';
          i += 2;
          continue;
        }
        value += text[i];
        i++;
      }
      i++;
      path.push(value);
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      path.push(text.slice(i + 1, close));
      i = close + 1;
    } else if (ch !== undefined && BARE_KEY.test(ch)) {
      const begin = i;
      while (i < text.length && BARE_KEY.test(text[i]!)) i++;
      path.push(text.slice(begin, i));
    } else {
      return undefined;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') break;
    i++;
  }
  return { path, end: i, lastStart, firstStart };
}

/**
 * Skips a value starting at `i` that may span lines (multi-line strings, arrays, inline tables);
 * returns the index just after it.
 */
function skipValue(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      const quote = text.slice(i, i + 3);
      let close = text.indexOf(quote, i + 3);
      if (quote === '"""') {
        while (close > 0 && isEscaped(text, close)) close = text.indexOf(quote, close + 1);
      }
      if (close < 0) return text.length;
      i = close + 3;
      while (text[i] === quote[0]) i++; // up to two extra quotes belong to the content
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === '\n' && depth <= 0) return i;
    i++;
  }
  return i;
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let j = index - 1; j >= 0 && text[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** Builds the key index of a TOML document. */
export function locateTomlKeys(text: string): TomlLocations {
  const locations = new TomlLocations();
  const positionOf = lineIndex(text);
  let table: string[] = [];
  const arrayCounts = new Map<string, number>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (i >= text.length) break;
    const ch = text[i];
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '[') {
      const isArray = text[i + 1] === '[';
      const key = parseKey(text, i + (isArray ? 2 : 1));
      if (key) {
        const headerPath = [...key.path];
        if (isArray) {
          const id = TomlLocations.pathKey(key.path);
          const index = arrayCounts.get(id) ?? 0;
          arrayCounts.set(id, index + 1);
          headerPath.push(String(index));
        }
        table = headerPath;
        const { line, column } = positionOf(i);
        locations.record(headerPath, { line, column, endColumn: column + (key.end - i) + (isArray ? 2 : 1) });
      }
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const key = parseKey(text, i);
    if (!key) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const { line, column } = positionOf(key.firstStart);
    let keyEnd = key.end;
    while (keyEnd > key.firstStart && (text[keyEnd - 1] === ' ' || text[keyEnd - 1] === '\t')) keyEnd--;
    const span: KeySpan = { line, column, endColumn: column + (keyEnd - key.firstStart) };
    for (let length = 1; length <= key.path.length; length++) locations.record([...table, ...key.path.slice(0, length)], span);
    i = key.end;
    if (text[i] === '=') {
      i = skipValue(text, i + 1);
      // `i` is at the newline that ends the value (or the end of the text).
      const valueEndLine = positionOf(Math.max(key.end, i - 1)).line;
      if (valueEndLine > line) span.valueEndLine = valueEndLine;
    } else while (i < text.length && text[i] !== '\n') i++;
  }
  return locations;
}
