/** One statement of a SQL file: its text without the terminating `;`, and where it starts. */
export interface SqlStatementSlice {
  text: string;
  /** UTF-16 offset of the statement's first token (leading whitespace and comments skipped). */
  offset: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * The offset just past a dollar-quote opener at `i` (`$$` or `$tag$`), or -1 when `$` starts
 * something else: a parameter `$1`, or a `$` inside an identifier.
 */
function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  if (text[j] === '$') return j + 1;
  if (!IDENT_START.test(text[j] ?? '')) return -1;
  while (j < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[j]!)) j++;
  return text[j] === '$' ? j + 1 : -1;
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
    const escapes = ch === "'" && i > 0 && /[eE]/.test(text[i - 1]!) && !IDENT_PART.test(text[i - 2] ?? ' ');
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
  if (ch === '$' && !IDENT_PART.test(text[i - 1] ?? ' ')) {
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
    !IDENT_PART.test(text[i - 1] ?? ' ') &&
    !IDENT_PART.test(text[i + word.length] ?? ' ')
  );
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
      const body = text.slice(start, end).replace(/\s+$/, '');
      if (body.length > 0) statements.push({ text: body, offset: start });
    }
    start = -1;
    parens = 0;
    atomicDepth = 0;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const skipped = skipSqlLiteral(text, i);
    if (skipped > i) {
      const isComment = ch === '-' || ch === '/';
      if (!isComment && start < 0) start = i;
      i = skipped;
      continue;
    }
    if (ch === ';' && parens === 0 && atomicDepth === 0) {
      finish(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (ch === '(') parens++;
    else if (ch === ')') parens = Math.max(0, parens - 1);
    else if (IDENT_START.test(ch) && !IDENT_PART.test(text[i - 1] ?? ' ')) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j]!)) j++;
      const word = text.slice(i, j).toUpperCase();
      if (word === 'BEGIN') {
        let k = j;
        while (k < text.length && /\s/.test(text[k]!)) k++;
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
