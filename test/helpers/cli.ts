import { execute, type CliIo } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams. */
export async function runCli(argv: string[], options: { cwd: string; env?: Record<string, string>; tty?: boolean }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s) => void (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s) => void (stderr += s), isTTY: options.tty ?? false },
    env: options.env ?? {},
    cwd: options.cwd,
  };
  const code = await execute(argv, io);
  return { code, stdout, stderr };
}
