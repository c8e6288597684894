import { describe, expect, it } from 'vitest';
import { markdownToText, neutralizeControl } from '../../src/util/text.js';

describe('markdownToText', () => {
  it('drops markup but keeps code blocks verbatim, comments included', () => {
    const text = markdownToText('# no-cycles\n\n## What it finds\n\nUses `crate` edges, **all** of them.\n\n```toml\n# backend/a/Cargo.toml\nb = { path = "../b" }\n```\n');
    expect(text).toBe('no-cycles\n\nWhat it finds\n\nUses crate edges, all of them.\n\n    # backend/a/Cargo.toml\n    b = { path = "../b" }');
  });
});

describe('neutralizeControl', () => {
  it('makes terminal escapes visible instead of letting them act', () => {
    expect(neutralizeControl('users\u001b[31m table\u0007')).toBe('users\\u001b[31m table\\u0007');
    expect(neutralizeControl('tab\tand\nnewline')).toBe('tab\tand\nnewline');
  });
});
