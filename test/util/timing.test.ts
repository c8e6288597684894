import { describe, expect, it } from 'vitest';
import { createStageTimer, noTiming, renderStageTimes } from '../../src/util/timing.js';

/** A clock that advances by the given steps, one per reading. */
function clock(...steps: number[]): () => number {
  let t = 0;
  let i = 0;
  return () => (t += steps[i++] ?? 0);
}

describe('createStageTimer', () => {
  it('adds up repeated stages, nests them, and laps straight-line phases between them', async () => {
    // Readings: create 0; a 10..15; lap b at 16; c 18..30 with d 20..23 inside; e 31..35.
    const timer = createStageTimer(clock(0, 10, 5, 1, 2, 2, 3, 7, 1, 4));
    timer.time('a', () => undefined);
    timer.lap('b');
    timer.time('c', () => timer.time('d', () => undefined));
    await timer.timeAsync('e', async () => undefined);
    expect(timer.times()).toEqual([
      { stage: 'a', depth: 0, ms: 5 },
      { stage: 'b', depth: 0, ms: 1 },
      { stage: 'c', depth: 0, ms: 12 },
      { stage: 'd', depth: 1, ms: 3 },
      { stage: 'e', depth: 0, ms: 4 },
    ]);
  });

  it('charges a stage also when its work throws, and keeps the result of the work', () => {
    const timer = createStageTimer(clock(0, 1, 2, 3, 4));
    expect(() => timer.time('fails', () => { throw new Error('x'); })).toThrow('x');
    expect(timer.time('ok', () => 42)).toBe(42);
    expect(timer.times().map((t) => [t.stage, t.ms])).toEqual([['fails', 2], ['ok', 4]]);
    expect(noTiming.time('x', () => 7)).toBe(7);
  });
});

describe('renderStageTimes', () => {
  it('indents nested stages and gives each a share of the total', () => {
    const text = renderStageTimes([{ stage: 'build', depth: 0, ms: 75 }, { stage: 'scan', depth: 1, ms: 50 }], 100);
    expect(text.split('\n')).toEqual([
      'Stage  | Time (ms) | Relative',
      '-------|-----------|---------',
      'build  |      75.0 |    75.0%',
      '  scan |      50.0 |    50.0%',
      'total  |     100.0 |',
      '',
    ]);
  });
});
