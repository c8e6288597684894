// Fallback runner for the benchmark while the CLI (dist/src/cli/main.js) does not exist:
//   node scripts/bench/run-direct.mjs <dir> <out-file>
// Runs the pipeline from dist/src/run.js, renders the JSON report, writes it, and exits like the
// CLI will: 0 no error-level finding, 1 findings, 2 internal or configuration error.
import { writeFileSync } from 'node:fs';

const [dir, out = '/dev/null'] = process.argv.slice(2);
try {
  const { run } = await import(new URL('../../dist/src/run.js', import.meta.url).href);
  const { renderJson } = await import(new URL('../../dist/src/report/json.js', import.meta.url).href);
  const result = run({ root: dir, includeTests: false, cwd: process.cwd() });
  const text = renderJson(result, {
    cwd: process.cwd(),
    color: false,
    toolName: 'boundary-lint',
    toolVersion: '0.0.0-bench',
    readSource: () => undefined,
    ruleHelp: () => ({ text: '', markdown: '' }),
    fixSuggestions: false,
    verbose: false,
    includeEnvironment: false,
  });
  writeFileSync(out, text);
  process.exitCode = result.findings.some((f) => f.severity === 'error') ? 1 : 0;
} catch (error) {
  process.stderr.write(`boundary-lint (bench direct runner): ${error?.stack ?? error}\n`);
  process.exitCode = 2;
}
