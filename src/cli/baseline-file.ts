import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  compareWithBaseline,
  createBaseline,
  DEFAULT_BASELINE_FILE,
  parseBaseline,
  serializeBaseline,
  shrinkBaseline,
  type Baseline,
  type BaselineSummary,
  type LineText,
} from '../check/baseline.js';
import type { Finding } from '../check/types.js';
import { plural } from '../util/text.js';

/** The baseline flags: `--baseline <file>` / `--no-baseline`, `--write-baseline [file]`, `--update-baseline`. */
export interface BaselineFlags {
  /** A file, `false` for `--no-baseline`, undefined for the default file when it exists. */
  baseline?: string | false;
  /** `--write-baseline`: `true` for the default file, or the file given. */
  write?: string | true;
  update: boolean;
}

export type BaselineOutcome =
  | { findings: Finding[]; summary?: BaselineSummary; notes: string[] }
  | { error: string };

/** Source lines of repo-relative files, each file read and split once. */
function lineReader(readSource: (file: string) => string | undefined): LineText {
  const lines = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!lines.has(file)) lines.set(file, readSource(file)?.split(/\r\n|\r|\n/));
    return lines.get(file)?.[line - 1];
  };
}

function write(target: string, baseline: Baseline): string | undefined {
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, serializeBaseline(baseline));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The I/O edge of the baseline: resolves the file, writes (`--write-baseline`), shrinks
 * (`--update-baseline`) or reads it, and compares the findings with it (src/check/baseline.ts).
 * Without a baseline file and without a flag asking for one, the findings come back untouched.
 */
export function applyBaseline(
  flags: BaselineFlags,
  findings: readonly Finding[],
  where: { root: string; cwd: string; readSource: (file: string) => string | undefined },
): BaselineOutcome {
  if (flags.baseline === false) return { findings: [...findings], notes: [] };
  const explicit = typeof flags.write === 'string' ? flags.write : flags.baseline;
  const target = explicit !== undefined ? path.resolve(where.cwd, explicit) : path.join(where.root, DEFAULT_BASELINE_FILE);
  const shown = path.relative(where.cwd, target).split(path.sep).join('/') || target;
  const lineText = lineReader(where.readSource);
  const notes: string[] = [];
  let baseline: Baseline;

  if (flags.write !== undefined) {
    baseline = createBaseline(findings, lineText);
    const failure = write(target, baseline);
    if (failure !== undefined) return { error: `cannot write the baseline ${shown}: ${failure}` };
    notes.push(`wrote ${plural(baseline.findings.length, 'finding')} to the baseline ${shown}`);
  } else {
    if (!existsSync(target)) {
      if (explicit === undefined && !flags.update) return { findings: [...findings], notes: [] };
      return { error: `baseline ${shown} not found; record one with --write-baseline` };
    }
    try {
      baseline = parseBaseline(readFileSync(target, 'utf8'));
    } catch (error) {
      return { error: `cannot read the baseline ${shown}: ${(error as Error).message}; rewrite it with --write-baseline` };
    }
    if (flags.update) {
      const before = baseline;
      baseline = shrinkBaseline(before, findings, lineText);
      const after = new Map(baseline.findings.map((e) => [e.fingerprint, e]));
      const removed = before.findings.filter((e) => !after.has(e.fingerprint)).length;
      const dropped = before.findings.reduce((n, e) => n + (after.has(e.fingerprint) ? e.evidence.length - after.get(e.fingerprint)!.evidence.length : 0), 0);
      if (serializeBaseline(baseline) !== serializeBaseline(before)) {
        const failure = write(target, baseline);
        if (failure !== undefined) return { error: `cannot write the baseline ${shown}: ${failure}` };
      }
      notes.push(
        removed === 0 && dropped === 0
          ? `the baseline ${shown} is up to date (--update-baseline never adds findings; rewrite it with --write-baseline)`
          : `removed ${plural(removed, 'fixed finding')}${dropped > 0 ? ` and ${plural(dropped, 'piece')} of gone evidence` : ''} from the baseline ${shown}`,
      );
    }
  }

  const comparison = compareWithBaseline(findings, baseline, lineText);
  if (comparison.fixed.length > 0) notes.push(`${comparison.fixed.length} fixed since baseline: run --update-baseline to remove ${comparison.fixed.length === 1 ? 'it' : 'them'} from ${shown}`);
  else if (comparison.shrinkable > 0) notes.push(`${plural(comparison.shrinkable, 'baselined finding')} lost evidence: run --update-baseline to tighten ${shown}`);
  return { findings: comparison.findings, summary: { file: shown, fixed: comparison.fixed, shrinkable: comparison.shrinkable }, notes };
}
