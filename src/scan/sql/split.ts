/** One statement of a SQL file: its text without the terminating `;`, and where it starts. */
export interface SqlStatementSlice {
  text: string;
  /** UTF-16 offset of the statement's first token (leading whitespace and comments skipped). */
  offset: number;
}

// Character classes by UTF-16 code unit: the scanners below look at every character of every
// statement, and a regex test per character costs more than the comparisons.

/** An identifier's first character: `A-Z`, `a-z`, `_`, or any non-ASCII unit. */
function isIdentStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code >= 0x80;
}

/** A later identifier character: a start character, `0-9` or `$`. NaN (out of range) is none. */
function isIdentPart(code: number): boolean {
  return isIdentStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x24;
}

/** JavaScript's `\s`: ASCII whitespace and the Unicode spaces, line separators and BOM. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/**
 * The offset just past a dollar-quote opener at `i` (`$$` or `$tag$`), or -1 when `$` starts
 * something else: a parameter `$1`, or a `$` inside an identifier.
 */
function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  if (text.charCodeAt(j) === 0x24) return j + 1;
  if (!isIdentStart(text.charCodeAt(j))) return -1;
  // Tag characters: identifier characters other than `$`.
  while (j < text.length && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x24) j++;
  return text.charCodeAt(j) === 0x24 ? j + 1 : -1;
}

/**
 * The offset just past the quoted, commented or dollar-quoted run starting at `i`, or `i` when
 * none starts there. Unterminated runs end at the end of the text.
 */
export function skipSqlLiteral(text: string, i: number): number {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === '-' && next === '-') {
    const end = text.indexOf('\n', i + 2);
    return end < 0 ? text.length : end + 1;
  }
  if (ch === '/' && next === '*') {
    // PostgreSQL block comments nest.
    let depth = 1;
    let j = i + 2;
    while (j < text.length && depth > 0) {
      if (text[j] === '/' && text[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (text[j] === '*' && text[j + 1] === '/') {
        depth--;
        j += 2;
      } else j++;
    }
    return j;
  }
  if (ch === "'" || ch === '"' || ch === '`') {
    // E'...' strings take backslash escapes; standard strings and identifiers only doubling.
    const escapes = ch === "'" && i > 0 && (text[i - 1] === 'e' || text[i - 1] === 'E') && !isIdentPart(text.charCodeAt(i - 2));
    let j = i + 1;
    while (j < text.length) {
      if (escapes && text[j] === '\\') j += 2;
      else if (text[j] === ch) {
        if (text[j + 1] === ch) j += 2;
        else return j + 1;
      } else j++;
    }
    return text.length;
  }
  if (ch === '$' && !isIdentPart(text.charCodeAt(i - 1))) {
    const tagEnd = dollarTagEnd(text, i);
    if (tagEnd < 0) return i;
    const close = text.indexOf(text.slice(i, tagEnd), tagEnd);
    return close < 0 ? text.length : close + (tagEnd - i);
  }
  return i;
}

function isWordAt(text: string, i: number, word: string): boolean {
  return (
    text.slice(i, i + word.length).toUpperCase() === word &&
    !isIdentPart(text.charCodeAt(i - 1)) &&
    !isIdentPart(text.charCodeAt(i + word.length))
  );
}

/**
 * Whether a word starting with this character can upper-case to BEGIN, CASE or END. Only ASCII
 * b, c and e can: the non-ASCII characters whose upper case holds ASCII letters (ß, ı, ſ, the
 * ﬀ-ﬆ ligatures, ...) map to none starting with B, C or E.
 */
function mayBeBlockWord(code: number): boolean {
  return code === 0x42 || code === 0x62 || code === 0x43 || code === 0x63 || code === 0x45 || code === 0x65;
}

/**
 * Splits a SQL file (a migration, a query file) into statements at top-level `;`, the way psql
 * does: semicolons inside strings, quoted identifiers, dollar-quoted bodies, comments,
 * parentheses and `BEGIN ATOMIC ... END` function bodies do not end a statement. Chunks holding
 * only whitespace and comments are dropped; a last statement without `;` is kept.
 */
export function splitSqlStatements(text: string): SqlStatementSlice[] {
  const statements: SqlStatementSlice[] = [];
  let start = -1;
  let parens = 0;
  // Inside BEGIN ATOMIC: count BEGIN/CASE against END so the body's semicolons stay inside.
  let atomicDepth = 0;
  let i = 0;
  const finish = (end: number): void => {
    if (start >= 0) {
      // trimEnd strips what `\s` matches, without the regex's backtracking over inner runs.
      const body = text.slice(start, end).trimEnd();
      if (body.length > 0) statements.push({ text: body, offset: start });
    }
    start = -1;
    parens = 0;
    atomicDepth = 0;
  };
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const skipped = skipSqlLiteral(text, i);
    if (skipped > i) {
      const isComment = code === 0x2d /* - */ || code === 0x2f /* / */;
      if (!isComment && start < 0) start = i;
      i = skipped;
      continue;
    }
    if (code === 0x3b /* ; */ && parens === 0 && atomicDepth === 0) {
      finish(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (code === 0x28 /* ( */) parens++;
    else if (code === 0x29 /* ) */) parens = Math.max(0, parens - 1);
    else if (isIdentStart(code) && !isIdentPart(text.charCodeAt(i - 1))) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
      const word = mayBeBlockWord(code) ? text.slice(i, j).toUpperCase() : '';
      if (word === 'BEGIN') {
        let k = j;
        while (k < text.length && isSpace(text.charCodeAt(k))) k++;
        if (atomicDepth > 0) atomicDepth++;
        else if (isWordAt(text, k, 'ATOMIC')) atomicDepth = 1;
      } else if (word === 'CASE' && atomicDepth > 0) atomicDepth++;
      else if (word === 'END' && atomicDepth > 0) atomicDepth--;
      i = j;
      continue;
    }
    i++;
  }
  finish(text.length);
  return statements;
}
