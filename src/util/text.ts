/** Replaces terminal control characters (ESC, BEL, CR...) so repository text cannot drive the terminal. */
export function neutralizeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A readable plain-text rendering of a rule doc (SARIF help.text): markup removed, code blocks kept verbatim. */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${line}`);
      continue;
    }
    out.push(
      line
        .replace(/^#{1,6}\s+/, '')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)'),
    );
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * A copy of `text` that does not keep the string it was cut from alive. V8 makes a substring of
 * 13 or more characters a view of its parent, so one SQL literal or long identifier kept in a
 * result would pin its whole source file in memory after the file's facts are gone. Joining
 * the text to a character and cutting it off again makes V8 flatten the join into a new
 * string first; the result is a view of that copy only. Shorter substrings are copies already.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (` ${text}`).slice(1);
}
