/**
 * Wall time per pipeline stage, for `TIMING=1` (ESLint's variable for the same question: where
 * does the time go on my repository?). Stages may nest and may be entered many times (reading
 * each file); times add up per stage name. The default timer only runs the work.
 */
export interface StageTimer {
  /** Runs `work` and adds its wall time to `stage`. */
  time<T>(stage: string, work: () => T): T;
  /** Awaits `work` and adds its wall time (awaiting included) to `stage`. */
  timeAsync<T>(stage: string, work: () => Promise<T>): Promise<T>;
  /**
   * Adds to `stage` the time since the enclosing stage began, or since the previous lap or stage
   * at this level ended: straight-line code marks its phases without being wrapped.
   */
  lap(stage: string): void;
}

export interface StageTime {
  stage: string;
  /** Nesting depth when the stage was first entered (0 for top-level stages). */
  depth: number;
  ms: number;
}

export const noTiming: StageTimer = {
  time: (_stage, work) => work(),
  timeAsync: (_stage, work) => work(),
  lap: () => undefined,
};

/** A timer that records; `times()` lists the stages in the order they were first entered. */
export function createStageTimer(now: () => number = () => performance.now()): StageTimer & { times(): StageTime[] } {
  const byStage = new Map<string, StageTime>();
  // marks[d]: when the last stage or lap at depth d ended (or the enclosing stage began).
  const marks: number[] = [now()];
  const enter = (stage: string): StageTime => {
    let entry = byStage.get(stage);
    if (!entry) byStage.set(stage, (entry = { stage, depth: marks.length - 1, ms: 0 }));
    return entry;
  };
  const begin = (stage: string): { entry: StageTime; started: number } => {
    const entry = enter(stage);
    const started = now();
    marks.push(started);
    return { entry, started };
  };
  const end = ({ entry, started }: { entry: StageTime; started: number }): void => {
    marks.pop();
    const ended = now();
    entry.ms += ended - started;
    marks[marks.length - 1] = ended;
  };
  return {
    time(stage, work) {
      const open = begin(stage);
      try {
        return work();
      } finally {
        end(open);
      }
    },
    async timeAsync(stage, work) {
      const open = begin(stage);
      try {
        return await work();
      } finally {
        end(open);
      }
    },
    lap(stage) {
      const entry = enter(stage);
      const at = now();
      entry.ms += at - marks[marks.length - 1]!;
      marks[marks.length - 1] = at;
    },
    times: () => [...byStage.values()],
  };
}

/** The `TIMING=1` table: stages indented by depth, milliseconds, share of `totalMs`. */
export function renderStageTimes(times: readonly StageTime[], totalMs: number): string {
  const label = (t: StageTime): string => `${'  '.repeat(t.depth)}${t.stage}`;
  const width = Math.max('Stage'.length, ...times.map((t) => label(t).length));
  const rows = times.map((t) => `${label(t).padEnd(width)} | ${t.ms.toFixed(1).padStart(9)} | ${totalMs > 0 ? `${((100 * t.ms) / totalMs).toFixed(1)}%`.padStart(8) : ''}`);
  return [`${'Stage'.padEnd(width)} | Time (ms) | Relative`, `${'-'.repeat(width)}-|-----------|---------`, ...rows, `${'total'.padEnd(width)} | ${totalMs.toFixed(1).padStart(9)} |`].join('\n') + '\n';
}
