// Preloaded with `node --import` when /usr/bin/time is unavailable: on exit, writes the process's
// peak resident set size (kilobytes) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // measurement only; never change the linter's outcome
    }
  });
}
