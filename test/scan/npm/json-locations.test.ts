import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, locateJsonKeys } from '../../../src/scan/npm/json-locations.js';

describe('locateJsonKeys', () => {
  it('finds keys by path, at their opening quote, with the end after the closing quote', () => {
    const text = '{\n  "name": "a",\n  "dependencies": {\n    "@nova/db": "workspace:*"\n  }\n}\n';
    const locations = locateJsonKeys(text);
    expect(locations.get(['name'])).toEqual({ line: 2, column: 3, endColumn: 9 });
    expect(locations.get(['dependencies', '@nova/db'])).toEqual({ line: 4, column: 5, endColumn: 15 });
    expect(locations.get(['devDependencies'])).toBeUndefined();
    expect(locations.find(['dependencies', 'missing'])).toEqual({ line: 3, column: 3, endColumn: 17 });
  });

  it('records array elements by index, and keys inside nested arrays and objects', () => {
    const locations = locateJsonKeys('{"workspaces": ["apps/*",\n  "packages/*"], "x": [{"y": [1, {"z": null}]}]}');
    expect(locations.get(['workspaces', 0])).toEqual({ line: 1, column: 17, endColumn: 25 });
    expect(locations.get(['workspaces', 1])).toEqual({ line: 2, column: 3, endColumn: 15 });
    expect(locations.get(['x', 0, 'y', 1, 'z'])).toBeDefined();
  });

  it('decodes escaped keys and counts columns in UTF-16 code units', () => {
    const locations = locateJsonKeys('{"é😀": 1, "a\\u0062": 2}');
    expect(locations.get(['é😀'])).toEqual({ line: 1, column: 2, endColumn: 7 });
    expect(locations.get(['ab'])).toEqual({ line: 1, column: 12, endColumn: 21 });
  });

  it('a duplicate key is located at its last occurrence, whose value JSON.parse keeps', () => {
    expect(locateJsonKeys('{"a": 1,\n"a": 2}').get(['a'])).toEqual({ line: 2, column: 1, endColumn: 4 });
  });

  it.each([
    ['{"a": 1,}', 1, 9, /property name/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /`,` or `}`/],
    ['{"a": [1, 2}', 1, 12, /`,` or `]`/],
    ['{"a": "x', 1, 7, /unterminated string/],
    ["{'a': 1}", 1, 2, /property name/],
    ['{"a": 01}', 1, 8, /`,` or `}`/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['{"a": "\t"}', 1, 8, /control character/],
    ['{} x', 1, 4, /after the end/],
    ['', 1, 1, /expected a value, found end of file/],
  ])('%j is a syntax error at %i:%i', (text, line, column, message) => {
    let error: unknown;
    try {
      locateJsonKeys(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect({ line: (error as JsonSyntaxError).line, column: (error as JsonSyntaxError).column }).toEqual({ line, column });
    expect((error as Error).message).toMatch(message);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', '"x"', '-0.5e+3', '{"a": [true, false, null, {"b": "\\n\\"\\u00e9"}]}', ' \r\n{ "a" : 1 } ']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(() => locateJsonKeys(text)).not.toThrow();
    }
  });
});
