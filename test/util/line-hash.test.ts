import { describe, expect, it } from 'vitest';
import { lineHashes, primaryLocationLineHash } from '../../src/util/line-hash.js';

// Vectors from github/codeql-action src/fingerprints.test.ts; matching them means GitHub's upload-sarif
// would compute the same value and keep alerts stable between our uploads and its own.
const GREETINGS_WITH_FINAL_BREAK = [
  'e9496ae3ebfced30:1',
  'fb7c023a8b9ccb3f:1',
  'ce8ba1a563dcdaca:1',
  'e20e36e16fcb0cc8:1',
  'b3edc88f2938467e:1',
  'c8e28b0b4002a3a0:1',
  'c129715d7a2bc9a3:1',
];

describe('lineHashes', () => {
  it('hashes the empty file as one line holding only the end of file', () => {
    expect(lineHashes('')).toEqual(['c129715d7a2bc9a3:1']);
  });

  it('ignores leading spaces and tabs', () => {
    expect(lineHashes(' a\nb\n  \t\tc\n d')).toEqual([
      '271789c17abda88f:1',
      '54703d4cd895b18:1',
      '180aee12dab6264:1',
      'a23a3dc5e078b07b:1',
    ]);
  });

  it('gives a file without a final line break one line fewer', () => {
    expect(lineHashes(' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End')).toEqual([
      '8b7cf3e952e7aeb2:1',
      'b1ae1287ec4718d9:1',
      'bff680108adb0fcc:1',
      'c6805c5e1288b612:1',
      'b86d3392aea1be30:1',
      'e6ceba753e1a442:1',
    ]);
  });

  it.each([
    ['LF', ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n'],
    ['CR', ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r'],
    ['CRLF', ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n'],
    ['mixed', ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n'],
  ])('treats %s line breaks alike', (_name, text) => {
    expect(lineHashes(text)).toEqual(GREETINGS_WITH_FINAL_BREAK);
    expect(lineHashes(text)).toHaveLength(text.split(/\r\n|\r|\n/).length);
  });

  it('counts repeats of the same hash', () => {
    expect(lineHashes('Lorem ipsum dolor sit amet.\n'.repeat(10))).toEqual([
      'a7f2ff13bc495cf2:1',
      'a7f2ff13bc495cf2:2',
      'a7f2ff13bc495cf2:3',
      'a7f2ff13bc495cf2:4',
      'a7f2ff13bc495cf2:5',
      'a7f2ff13bc495cf2:6',
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
  });

  it('looks only at the first 100 significant characters of a line', () => {
    const long = `${'x'.repeat(100)}`;
    expect(lineHashes(`${long}a\n`)[0]).toBe(lineHashes(`${long}b\n`)[0]);
    expect(lineHashes(`${'x'.repeat(99)}a\n`)[0]).not.toBe(lineHashes(`${'x'.repeat(99)}b\n`)[0]);
  });

  it('hashes UTF-16 code units, so non-ASCII text is stable', () => {
    expect(lineHashes('crate = "médiá 🦀"\n')).toEqual(lineHashes('crate = "médiá 🦀"\r\n'));
    expect(lineHashes('é')[0]).not.toBe(lineHashes('e')[0]);
  });
});

describe('primaryLocationLineHash', () => {
  it('returns the hash of one line, and undefined past the end', () => {
    const text = ' a\nb\n  \t\tc\n d';
    expect(primaryLocationLineHash(text, 3)).toBe('180aee12dab6264:1');
    expect(primaryLocationLineHash(text, 5)).toBeUndefined();
    expect(primaryLocationLineHash(text, 0)).toBeUndefined();
  });
});
