import { lineIndex } from '../../util/line-index.js';

/**
 * Positions of keys and array elements in a JSON document. `JSON.parse` returns values without
 * positions, and Node 20's syntax errors do not always say where the problem is, so this reads the
 * document once more as a strict RFC 8259 tokenizer: it records where each object key and each
 * array element starts, and throws `JsonSyntaxError` with the offset of the first error.
 */

export interface JsonSpan {
  line: number;
  /** 1-based column (UTF-16 code units) of the first character: the key's opening quote, or the element's value. */
  column: number;
  /** Exclusive end column on the same line: after the key's closing quote, or after a one-line element. */
  endColumn: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the character where the error was found. */
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Index of key and element spans by their path (`['dependencies', '@nova/db']`, `['workspaces', 0]`). */
export class JsonLocations {
  private readonly spans = new Map<string, JsonSpan>();

  static pathKey(path: readonly (string | number)[]): string {
    return path.map(String).join('\u0000');
  }

  /** A duplicate key's last occurrence wins, as its value does in `JSON.parse`. */
  record(path: readonly (string | number)[], span: JsonSpan): void {
    this.spans.set(JsonLocations.pathKey(path), span);
  }

  get(path: readonly (string | number)[]): JsonSpan | undefined {
    return this.spans.get(JsonLocations.pathKey(path));
  }

  /** The span at `path`, or of its nearest recorded ancestor. */
  find(path: readonly (string | number)[]): JsonSpan | undefined {
    for (let length = path.length; length > 0; length--) {
      const span = this.spans.get(JsonLocations.pathKey(path.slice(0, length)));
      if (span) return span;
    }
    return undefined;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Builds the key index of a JSON document; throws JsonSyntaxError when it is not valid JSON. */
export function locateJsonKeys(text: string): JsonLocations {
  const locations = new JsonLocations();
  const positionOf = lineIndex(text);
  const spanOf = (start: number, end: number): JsonSpan => {
    const { line, column } = positionOf(start);
    const endLine = positionOf(Math.max(start, end - 1)).line;
    return { line, column, endColumn: endLine === line ? column + (end - start) : column + 1 };
  };
  const fail = (message: string, offset: number): never => {
    const { line, column } = positionOf(Math.min(offset, text.length));
    throw new JsonSyntaxError(message, offset, line, column);
  };
  const describe = (offset: number): string => (offset >= text.length ? 'end of file' : `\`${text[offset]}\``);

  let i = 0;
  const skipWhitespace = (): void => {
    for (;;) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13) i++;
      else return;
    }
  };
  /** Reads a string starting at its opening quote; returns its decoded value. */
  const readString = (): string => {
    const start = i;
    i++;
    let simple = true;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const ch = text.charCodeAt(i);
      if (ch === 34) break;
      if (ch < 0x20) fail('control character in a string (escape it)', i);
      if (ch === 92) {
        simple = false;
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape', i);
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) fail('invalid escape in a string', i);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    const raw = text.slice(start, i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };
  const readValue = (path: (string | number)[], depth: number): void => {
    if (depth > 512) fail('nesting too deep', i);
    skipWhitespace();
    const ch = text[i];
    if (ch === '{') {
      i++;
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`, i);
        const keyStart = i;
        const key = readString();
        locations.record([...path, key], spanOf(keyStart, i));
        skipWhitespace();
        if (text[i] !== ':') fail(`expected \`:\` after the property name, found ${describe(i)}`, i);
        i++;
        readValue([...path, key], depth + 1);
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected \`,\` or \`}\` after a property value, found ${describe(i)}`, i);
      }
    }
    if (ch === '[') {
      i++;
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        skipWhitespace();
        const elementStart = i;
        readValue([...path, index], depth + 1);
        locations.record([...path, index], spanOf(elementStart, i));
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected \`,\` or \`]\` after an array element, found ${describe(i)}`, i);
      }
    }
    if (ch === '"') {
      readString();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && number[0].length > 0) {
      i += number[0].length;
      return;
    }
    fail(`expected a value, found ${describe(i)}`, i);
  };
  readValue([], 0);
  skipWhitespace();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`, i);
  return locations;
}
