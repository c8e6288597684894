// GitHub's `primaryLocationLineHash`, as computed by codeql-action's upload-sarif (src/fingerprints.ts).
// Each line is identified by a polynomial hash of the 100 characters that follow its first character, with
// spaces and tabs dropped and every line break read as "\n", so re-indentation and CRLF do not move alerts.

const WINDOW = 100;
const BASE = 37n;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** Stands for the end of the file; the window then runs on over zeros. */
const END_OF_FILE = 0xffff;

/** BASE^WINDOW mod 2^64: the weight a character has once it leaves the window. */
const LEAVING_WEIGHT = BigInt.asUintN(64, BASE ** BigInt(WINDOW));

interface SignificantText {
  /** UTF-16 code units without spaces and tabs, line breaks as LF, ending with END_OF_FILE. */
  codes: number[];
  /** Index in `codes` of the first code of each line (line 1 first). */
  lineStarts: number[];
}

function significantText(text: string): SignificantText {
  const codes: number[] = [];
  const lineStarts: number[] = [];
  let atLineStart = true;
  let afterCarriageReturn = false;
  const append = (code: number): void => {
    if (atLineStart) {
      lineStarts.push(codes.length);
      atLineStart = false;
    }
    codes.push(code);
    if (code === LF) atLineStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isLfOfCrLf = code === LF && afterCarriageReturn;
    afterCarriageReturn = code === CR;
    if (code === SPACE || code === TAB || isLfOfCrLf) continue;
    append(code === CR ? LF : code);
  }
  append(END_OF_FILE);
  return { codes, lineStarts };
}

/**
 * The `primaryLocationLineHash` of every line of `text` (index 0 is line 1), formatted `hex:N` where N
 * numbers the lines that share the hash so far. A text ending in a line break has one more (empty) line.
 */
export function lineHashes(text: string): string[] {
  const { codes, lineStarts } = significantText(text);
  const at = (index: number): bigint => BigInt(codes[index] ?? 0);

  // Hash of the window starting at 0, then rolled one code at a time; arithmetic is mod 2^64.
  let hash = 0n;
  for (let i = 0; i < WINDOW; i++) hash = BigInt.asUintN(64, hash * BASE + at(i));

  const seen = new Map<string, number>();
  const result: string[] = [];
  let start = 0;
  for (const lineStart of lineStarts) {
    for (; start < lineStart; start++) {
      hash = BigInt.asUintN(64, hash * BASE + at(start + WINDOW) - at(start) * LEAVING_WEIGHT);
    }
    const hex = hash.toString(16);
    const count = (seen.get(hex) ?? 0) + 1;
    seen.set(hex, count);
    result.push(`${hex}:${count}`);
  }
  return result;
}

/** The hash of one 1-based line, or undefined when the text has no such line. */
export function primaryLocationLineHash(text: string, line: number): string | undefined {
  return lineHashes(text)[line - 1];
}
