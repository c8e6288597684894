/** 1-based line and column (UTF-16 code units) of an offset in a text. */
export interface LinePosition {
  line: number;
  column: number;
}

/**
 * Position lookup for one text: line starts are indexed once, each lookup is a binary search,
 * so locating every statement of a large migration file stays linear.
 */
export function lineIndex(text: string): (offset: number) => LinePosition {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}
