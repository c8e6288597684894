import type { Diagnostic, Location } from '../../model/types.js';

/**
 * A purpose-written reader of the parts of a Prisma schema (`schema.prisma`) that say which
 * table a model is stored in: the `datasource` provider, `model`/`view` blocks with their
 * fields, `@@map("table")` and `@@schema("name")`. Everything else (generators, enums,
 * attributes' arguments) is skipped. A malformed file is a diagnostic with a line, never a throw.
 */

export interface PrismaField {
  name: string;
  /** The type as written, without `[]`/`?` (`Post`, `Int`). */
  type: string;
  list: boolean;
}

export interface PrismaModel {
  /** As declared: `User`; the client property is its lowerCamel form (`user`). */
  name: string;
  /** `@@map("users")`, or the model name as is. */
  table: string;
  /** `@@schema("auth")` (multi-schema), when present. */
  schema?: string;
  /** `view` blocks map to database views; they are read like tables. */
  view: boolean;
  fields: PrismaField[];
  location: Location;
}

export interface PrismaSchema {
  file: string;
  /** `provider` of the `datasource` block: `postgresql`, `mysql`, `sqlite`, `sqlserver`, `mongodb`, `cockroachdb`. */
  provider?: string;
  models: PrismaModel[];
  diagnostics: Diagnostic[];
}

interface Line {
  /** The line's text with comments removed (string contents kept). */
  text: string;
  number: number;
}

/** Lines with `//` comments removed outside strings; an unterminated string is reported. */
function codeLines(file: string, text: string, diagnostics: Diagnostic[]): Line[] {
  const lines: Line[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let inBlockComment = false;
  raw.forEach((line, index) => {
    let out = '';
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (inBlockComment) {
        if (c === '*' && line[i + 1] === '/') {
          inBlockComment = false;
          i++;
        }
        continue;
      }
      if (inString) {
        out += c;
        if (c === '\\') out += line[++i] ?? '';
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '/' && line[i + 1] === '/') break;
      if (c === '/' && line[i + 1] === '*') {
        inBlockComment = true;
        i++;
        continue;
      }
      if (c === '"') inString = true;
      out += c;
    }
    if (inString) {
      diagnostics.push({ severity: 'warning', code: 'prisma-schema-parse-error', message: 'unterminated string in the Prisma schema; this line is skipped', location: { file, line: index + 1, column: 1 } });
      out = '';
    }
    lines.push({ text: out, number: index + 1 });
  });
  return lines;
}

/** The first string argument of a block attribute on the line: `@@map("users")`, `@@map(name: "users")`. */
function blockAttribute(line: string, name: string): string | undefined {
  const match = new RegExp(`@@${name}\\s*\\(\\s*(?:name\\s*:\\s*)?"((?:[^"\\\\]|\\\\.)*)"`).exec(line);
  return match ? match[1] : undefined;
}

const BLOCK_START = /^\s*(model|view|datasource|generator|enum|type)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*(.*)$/;
const FIELD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?|Unsupported\s*\([^)]*\))(\[\])?(\?)?/;

export function scanPrismaSchema(file: string, text: string): PrismaSchema {
  const diagnostics: Diagnostic[] = [];
  const models: PrismaModel[] = [];
  let provider: string | undefined;
  const lines = codeLines(file, text, diagnostics);
  let block: { keyword: string; name: string; line: number; column: number; body: Line[] } | undefined;
  const close = (): void => {
    if (!block) return;
    if (block.keyword === 'datasource') {
      for (const line of block.body) {
        const match = /^\s*provider\s*=\s*"([^"]*)"/.exec(line.text);
        if (match && provider === undefined) provider = match[1];
      }
    } else if (block.keyword === 'model' || block.keyword === 'view') {
      let table: string | undefined;
      let schema: string | undefined;
      const fields: PrismaField[] = [];
      for (const line of block.body) {
        table = blockAttribute(line.text, 'map') ?? table;
        schema = blockAttribute(line.text, 'schema') ?? schema;
        if (/^\s*@@/.test(line.text)) continue;
        const field = FIELD.exec(line.text);
        if (field) fields.push({ name: field[1]!, type: field[2]!, list: field[3] !== undefined });
      }
      models.push({
        name: block.name,
        table: table ?? block.name,
        ...(schema !== undefined ? { schema } : {}),
        view: block.keyword === 'view',
        fields,
        location: { file, line: block.line, column: block.column },
      });
    }
    block = undefined;
  };
  for (const line of lines) {
    if (block) {
      const end = line.text.indexOf('}');
      if (end >= 0) {
        if (line.text.slice(0, end).trim() !== '') block.body.push({ text: line.text.slice(0, end), number: line.number });
        close();
        if (line.text.slice(end + 1).trim() !== '') unexpected(line);
        continue;
      }
      if (BLOCK_START.test(line.text)) {
        // A block opening inside another: the previous one lacks its `}`.
        diagnostics.push({ severity: 'warning', code: 'prisma-schema-parse-error', message: `the \`${block.keyword} ${block.name}\` block opened on line ${block.line} is not closed before this line`, location: { file, line: line.number, column: 1 } });
        close();
      } else {
        block.body.push(line);
        continue;
      }
    }
    if (line.text.trim() === '') continue;
    const start = BLOCK_START.exec(line.text);
    if (!start) {
      unexpected(line);
      continue;
    }
    const column = line.text.indexOf(start[2]!, line.text.indexOf(start[1]!) + start[1]!.length) + 1;
    block = { keyword: start[1]!, name: start[2]!, line: line.number, column, body: [] };
    const rest = start[3]!;
    const end = rest.indexOf('}');
    if (end >= 0) {
      if (rest.slice(0, end).trim() !== '') block.body.push({ text: rest.slice(0, end), number: line.number });
      close();
    } else if (rest.trim() !== '') {
      block.body.push({ text: rest, number: line.number });
    }
  }
  if (block) {
    diagnostics.push({ severity: 'warning', code: 'prisma-schema-parse-error', message: `the \`${block.keyword} ${block.name}\` block is not closed (missing \`}\`)`, location: { file, line: block.line, column: 1 } });
    close();
  }
  diagnostics.sort((a, b) => a.location!.line - b.location!.line);
  return { file, ...(provider !== undefined ? { provider } : {}), models, diagnostics };

  function unexpected(line: Line): void {
    diagnostics.push({ severity: 'warning', code: 'prisma-schema-parse-error', message: `unexpected text outside a block: \`${line.text.trim().slice(0, 40)}\``, location: { file, line: line.number, column: 1 } });
  }
}
