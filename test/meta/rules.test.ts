import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { validate } from '../../src/util/json-schema.js';

const repo = path.resolve(__dirname, '../..');
const HEADINGS = ['What it finds', 'Why it matters', 'Example', 'Options', 'Fix suggestions', 'Known limits'];

describe('rule registry parity', () => {
  it('lists rules sorted by id, each with a matching file, doc and test', () => {
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    for (const id of ids) {
      expect(existsSync(path.join(repo, 'rules', `${id}.ts`)), `rules/${id}.ts`).toBe(true);
      expect(existsSync(path.join(repo, 'rules', `${id}.md`)), `rules/${id}.md`).toBe(true);
      expect(existsSync(path.join(repo, 'test', 'rules', `${id}.test.ts`)), `test/rules/${id}.test.ts`).toBe(true);
    }
  });

  it('has no doc or test that outlived its rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    const docs = readdirSync(path.join(repo, 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
    const tests = readdirSync(path.join(repo, 'test', 'rules')).map((f) => f.replace(/\.test\.ts$/, ''));
    expect(docs.filter((d) => !ids.has(d))).toEqual([]);
    expect(tests.filter((t) => !ids.has(t))).toEqual([]);
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const doc = readFileSync(path.join(repo, 'rules', `${rule.id}.md`), 'utf8');

      it('doc starts with the id and has the fixed headings in order', () => {
        expect(doc.split('\n')[0]).toBe(`# ${rule.id}`);
        const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
        expect(headings).toEqual(HEADINGS);
      });

      it('doc has a heading for every option', () => {
        const optionHeadings = [...doc.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
        expect(optionHeadings).toEqual(Object.keys(rule.meta.schema.properties ?? {}));
      });

      it('defaults satisfy the options schema', () => {
        expect(validate(rule.meta.defaults, rule.meta.schema)).toEqual([]);
      });

      it('has a one-line description without a trailing period', () => {
        expect(rule.meta.description).not.toMatch(/\n|\.$/);
      });
    });
  }
});
