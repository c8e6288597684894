import { describe, expect, it } from 'vitest';
import { lineIndex } from '../../src/util/line-index.js';

describe('lineIndex', () => {
  it('gives 1-based lines and UTF-16 columns, at line starts, ends and past the last newline', () => {
    const positionOf = lineIndex('ab\ncdé\n\nx');
    expect(positionOf(0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(2)).toEqual({ line: 1, column: 3 });
    expect(positionOf(3)).toEqual({ line: 2, column: 1 });
    expect(positionOf(6)).toEqual({ line: 2, column: 4 });
    expect(positionOf(7)).toEqual({ line: 3, column: 1 });
    expect(positionOf(8)).toEqual({ line: 4, column: 1 });
  });
});
