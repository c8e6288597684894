import { nearest } from '../util/json-schema.js';

/**
 * The command-line parser of the three commands: declared options, help text, and the usual
 * errors (unknown option with a suggestion, missing value, value not among the choices, missing
 * or surplus arguments), each with exit code 2. It replaced commander, which was more than half
 * of the CLI's entry file and ~15 ms of every run's start-up; the messages keep its wording.
 */

export interface OptionSpec {
  /** `-c, --config <file>` (value required), `--write-baseline [file]` (value optional), `--quiet`, `--no-cache`. */
  flags: string;
  description: string;
  choices?: readonly string[];
  default?: string;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
  /** Shown in the help text only; callers apply their own default. */
  default?: string;
}

export interface CommandSpec {
  /** As shown in the usage line: `boundary-lint`, `boundary-lint graph`. */
  name: string;
  description: string;
  arguments: readonly ArgumentSpec[];
  options: readonly OptionSpec[];
  version: string;
  /** Text printed after the options in the help. */
  helpAfter?: string;
}

/** Option values by camel-cased long name (`--output-file` -> `outputFile`); `--no-x` sets `x` to false. */
export type OptionValues = Record<string, string | boolean | undefined>;

export type ParseResult = { options: OptionValues; positionals: string[] } | { exitCode: 0 | 2 };

interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

interface ParsedFlag {
  spec: OptionSpec;
  short?: string;
  long: string;
  key: string;
  value: 'none' | 'required' | 'optional';
  negated: boolean;
}

const VERSION_OPTION: OptionSpec = { flags: '-v, --version', description: 'output the version number' };
const HELP_OPTION: OptionSpec = { flags: '-h, --help', description: 'show this help' };

function parseFlags(spec: OptionSpec): ParsedFlag {
  const match = /^(?:-(\w), )?--([\w-]+)(?: ([<[])\w[\w-]*[>\]])?$/.exec(spec.flags);
  if (!match) throw new Error(`malformed option flags: ${spec.flags}`);
  const [, short, long, bracket] = match as unknown as [string, string | undefined, string, string | undefined];
  const negated = long.startsWith('no-');
  const key = (negated ? long.slice(3) : long).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return { spec, ...(short ? { short } : {}), long, key, negated, value: bracket === '<' ? 'required' : bracket === '[' ? 'optional' : 'none' };
}

/** Parses `argv` (without the node and script paths) against `command`; help, version and errors are written to `io`. */
export function parseCommandLine(command: CommandSpec, argv: readonly string[], io: Output): ParseResult {
  const flags = [...command.options, VERSION_OPTION, HELP_OPTION].map(parseFlags);
  const byLong = new Map(flags.map((f) => [f.long, f]));
  const byShort = new Map(flags.flatMap((f) => (f.short ? [[f.short, f] as const] : [])));
  const options: OptionValues = {};
  // Defaults first: declared ones, and `true` for an option that exists only in its `--no-` form.
  for (const flag of flags) {
    if (flag.spec.default !== undefined) options[flag.key] = flag.spec.default;
    else if (flag.negated && !byLong.has(flag.long.slice(3))) options[flag.key] = true;
  }
  const positionals: string[] = [];
  const fail = (message: string): ParseResult => {
    io.stderr.write(`error: ${message}\n`);
    return { exitCode: 2 };
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let flag: ParsedFlag | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = arg.slice(2, equals < 0 ? undefined : equals);
      if (equals >= 0) inline = arg.slice(equals + 1);
      flag = byLong.get(name);
      if (!flag) {
        const suggestion = nearest(`--${name}`, flags.map((f) => `--${f.long}`));
        return fail(`unknown option '${arg.slice(0, equals < 0 ? undefined : equals)}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`);
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      flag = byShort.get(arg[1]!);
      if (!flag) return fail(`unknown option '${arg.slice(0, 2)}'`);
      if (arg.length > 2) {
        // `-fjson` is `-f json`; a flag without a value takes no attached text.
        if (flag.value === 'none') return fail(`unknown option '${arg}'`);
        inline = arg.slice(2);
      }
    } else {
      positionals.push(arg);
      continue;
    }
    if (flag.spec === HELP_OPTION) {
      io.stdout.write(helpText(command));
      return { exitCode: 0 };
    }
    if (flag.spec === VERSION_OPTION) {
      io.stdout.write(`${command.version}\n`);
      return { exitCode: 0 };
    }
    let value: string | boolean;
    if (flag.value === 'none') {
      if (inline !== undefined) return fail(`option '${flag.spec.flags}' takes no value`);
      value = !flag.negated;
    } else if (inline !== undefined) {
      value = inline;
    } else {
      // A required value is the next word whatever it looks like (`--max-warnings -1`); an
      // optional one only when it does not look like an option (`--write-baseline --quiet`).
      const next = argv[i + 1];
      if (next !== undefined && (flag.value === 'required' || !next.startsWith('-'))) {
        value = next;
        i++;
      } else if (flag.value === 'optional') {
        value = true;
      } else {
        return fail(`option '${flag.spec.flags}' argument missing`);
      }
    }
    const choices = flag.spec.choices;
    if (choices && typeof value === 'string' && !choices.includes(value)) {
      return fail(`option '${flag.spec.flags}' argument '${value}' is invalid. Allowed choices are ${choices.join(', ')}.`);
    }
    options[flag.key] = value;
  }
  const required = command.arguments.filter((a) => a.required);
  if (positionals.length < required.length) return fail(`missing required argument '${required[positionals.length]!.name}'`);
  const variadic = command.arguments.some((a) => a.variadic);
  if (!variadic && positionals.length > command.arguments.length) {
    const expected = command.arguments.length;
    return fail(`too many arguments. Expected ${expected} argument${expected === 1 ? '' : 's'} but got ${positionals.length}.`);
  }
  return { options, positionals };
}

const WIDTH = 80;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Two columns: terms padded to `termWidth`, descriptions wrapped beside them. */
function table(rows: readonly (readonly [string, string])[], termWidth: number): string {
  return rows
    .map(([term, description]) => {
      const lines = wrap(description, WIDTH - 2 - termWidth);
      return lines.map((text, i) => `  ${(i === 0 ? term : '').padEnd(termWidth)}${text}`).join('\n');
    })
    .join('\n');
}

/** The `--help` text: usage, description, arguments, options (with choices and defaults), then `helpAfter`. */
export function helpText(command: CommandSpec): string {
  const usageArgs = command.arguments.map((a) => (a.required ? `<${a.name}${a.variadic ? '...' : ''}>` : `[${a.name}${a.variadic ? '...' : ''}]`));
  const parts = [`Usage: ${[command.name, '[options]', ...usageArgs].join(' ')}`, wrap(command.description, WIDTH).join('\n')];
  const argumentRows = command.arguments.map((a): [string, string] => [a.name, a.default !== undefined ? `${a.description} (default: "${a.default}")` : a.description]);
  const optionRows = [...command.options, VERSION_OPTION, HELP_OPTION].map((o): [string, string] => {
    const extras = [
      ...(o.choices ? [`choices: ${o.choices.map((c) => `"${c}"`).join(', ')}`] : []),
      ...(o.default !== undefined ? [`default: "${o.default}"`] : []),
    ];
    return [o.flags, extras.length > 0 ? `${o.description} (${extras.join(', ')})` : o.description];
  });
  // One term column for both sections, so the descriptions line up.
  const termWidth = Math.max(...[...argumentRows, ...optionRows].map(([term]) => term.length)) + 2;
  if (argumentRows.length > 0) parts.push(`Arguments:\n${table(argumentRows, termWidth)}`);
  parts.push(`Options:\n${table(optionRows, termWidth)}`);
  return `${parts.join('\n\n')}\n${command.helpAfter === undefined ? '' : `${command.helpAfter}\n`}`;
}
