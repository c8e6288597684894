import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, type CommandSpec } from '../../src/cli/args.js';

const command: CommandSpec = {
  name: 'tool',
  description: 'A tool.',
  arguments: [{ name: 'dir', variadic: true, description: 'where' }],
  options: [
    { flags: '-c, --config <file>', description: 'config file' },
    { flags: '-f, --format <name>', description: 'output format', choices: ['text', 'json'], default: 'text' },
    { flags: '--max-warnings <n>', description: 'limit', default: '-1' },
    { flags: '--quiet', description: 'errors only' },
    { flags: '--no-cache', description: 'no cache' },
    { flags: '--baseline <file>', description: 'baseline' },
    { flags: '--no-baseline', description: 'no baseline' },
    { flags: '--write-baseline [file]', description: 'write it' },
  ],
  version: '1.2.3',
};

function parse(argv: string[], spec: CommandSpec = command) {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseCommandLine(spec, argv, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } });
  return { result, stdout: out.join(''), stderr: err.join('') };
}

describe('parseCommandLine', () => {
  it('reads long and short options, attached values, defaults and positionals', () => {
    const { result } = parse(['repo', '-c', 'b.json', '--format=json', '--quiet', '--max-warnings', '-1', 'x']);
    expect(result).toEqual({
      options: { config: 'b.json', format: 'json', maxWarnings: '-1', quiet: true, cache: true },
      positionals: ['repo', 'x'],
    });
    expect(parse(['-fjson']).result).toMatchObject({ options: { format: 'json' } });
    expect(parse(['--', '--quiet']).result).toMatchObject({ positionals: ['--quiet'] });
  });

  it('gives negated options false, and an only-negated option true by default', () => {
    expect(parse(['--no-cache']).result).toMatchObject({ options: { cache: false } });
    expect(parse([]).result).toMatchObject({ options: { cache: true } });
    const both = parse(['--no-baseline']).result;
    expect(both).toMatchObject({ options: { baseline: false } });
    expect('options' in parse([]).result && parse([]).result).not.toHaveProperty('options.baseline');
  });

  it('takes an optional value only when the next word is not an option', () => {
    expect(parse(['--write-baseline', 'b.json']).result).toMatchObject({ options: { writeBaseline: 'b.json' } });
    expect(parse(['--write-baseline', '--quiet']).result).toMatchObject({ options: { writeBaseline: true, quiet: true } });
    expect(parse(['--write-baseline']).result).toMatchObject({ options: { writeBaseline: true } });
  });

  it('rejects unknown options with a suggestion, missing values and values outside the choices (exit 2)', () => {
    expect(parse(['--frmat', 'json'])).toEqual({ result: { exitCode: 2 }, stdout: '', stderr: "error: unknown option '--frmat'\n(Did you mean --format?)\n" });
    expect(parse(['--zzzzzz']).stderr).toBe("error: unknown option '--zzzzzz'\n");
    expect(parse(['-x']).stderr).toBe("error: unknown option '-x'\n");
    expect(parse(['-c']).stderr).toBe("error: option '-c, --config <file>' argument missing\n");
    expect(parse(['-f', 'xml']).stderr).toBe("error: option '-f, --format <name>' argument 'xml' is invalid. Allowed choices are text, json.\n");
    expect(parse(['--quiet=yes']).stderr).toBe("error: option '--quiet' takes no value\n");
  });

  it('checks required and surplus arguments when the command has no variadic one', () => {
    const explain: CommandSpec = { ...command, arguments: [{ name: 'unit', required: true, description: 'u' }, { name: 'dir', description: 'd', default: '.' }] };
    expect(parse([], explain).stderr).toBe("error: missing required argument 'unit'\n");
    expect(parse(['u', 'd', 'e'], explain).stderr).toBe('error: too many arguments. Expected 2 arguments but got 3.\n');
    expect(parse(['u', 'd'], explain).result).toMatchObject({ positionals: ['u', 'd'] });
  });

  it('prints help and version on stdout with exit 0', () => {
    const help = parse(['--quiet', '-h']);
    expect(help.result).toEqual({ exitCode: 0 });
    expect(help.stdout).toBe(helpText(command));
    expect(parse(['-v'])).toEqual({ result: { exitCode: 0 }, stdout: '1.2.3\n', stderr: '' });
  });
});

describe('helpText', () => {
  it('lists usage, arguments and options with choices and defaults, wrapped at 80 columns', () => {
    const text = helpText({ ...command, options: [...command.options, { flags: '--long', description: 'word '.repeat(30).trim() }], helpAfter: '\nMore.\n' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Usage: tool [options] [dir...]');
    expect(text).toContain('  -f, --format <name>      output format (choices: "text", "json", default:\n                           "text")');
    expect(text).toContain('  -h, --help               show this help');
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines.filter((line) => line.trim() === 'word '.repeat(10).trim())).toHaveLength(2);
    expect(text.endsWith('\nMore.\n\n')).toBe(true);
  });
});
