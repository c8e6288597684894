import type { Diagnostic, Location } from '../../model/types.js';
import { lineIndex } from '../../util/line-index.js';

export interface ProtoRpc {
  name: string;
  location: Location;
}

export interface ProtoService {
  /** Service name as declared, e.g. `ContentService`. */
  name: string;
  /** Fully qualified: `nova.content_service.v1.ContentService`. */
  fullName: string;
  rpcs: ProtoRpc[];
  location: Location;
}

/** Facts of one `.proto` file: its package and the gRPC services it declares. */
export interface ProtoFile {
  file: string;
  package: string | undefined;
  services: ProtoService[];
  diagnostics: Diagnostic[];
}

interface Word {
  text: string;
  offset: number;
}

/** Words and single punctuation of a proto file, with comments and strings skipped (strings kept as one word). */
function tokenize(text: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      const start = i++;
      while (i < text.length && text[i] !== ch && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      words.push({ text: text.slice(start, i), offset: start });
    } else if (/[A-Za-z0-9_.]/.test(ch)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i]!)) i++;
      words.push({ text: text.slice(start, i), offset: start });
    } else if (/\s/.test(ch)) {
      i++;
    } else {
      words.push({ text: ch, offset: i });
      i++;
    }
  }
  return words;
}

/** Reads the package, services and rpc names of a `.proto` file. Unknown constructs are skipped. */
export function scanProto(file: string, text: string): ProtoFile {
  const positionOf = lineIndex(text);
  const locate = (offset: number, length: number): Location => {
    const { line, column } = positionOf(offset);
    return { file, line, column, endLine: line, endColumn: column + length };
  };
  const words = tokenize(text);
  let pkg: string | undefined;
  const services: ProtoService[] = [];
  const diagnostics: Diagnostic[] = [];
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.text === '{') depth++;
    else if (word.text === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && word.text === 'package' && words[i + 1]) {
      pkg = words[i + 1]!.text;
    } else if (depth === 0 && word.text === 'service' && words[i + 1] && words[i + 2]?.text === '{') {
      const nameWord = words[i + 1]!;
      const service: ProtoService = {
        name: nameWord.text,
        fullName: pkg ? `${pkg}.${nameWord.text}` : nameWord.text,
        rpcs: [],
        location: locate(nameWord.offset, nameWord.text.length),
      };
      // Walk the service body; rpc declarations sit at its top level.
      let j = i + 3;
      let inner = 1;
      while (j < words.length && inner > 0) {
        const w = words[j]!;
        if (w.text === '{') inner++;
        else if (w.text === '}') inner--;
        else if (inner === 1 && w.text === 'rpc' && words[j + 1]) {
          const rpc = words[j + 1]!;
          service.rpcs.push({ name: rpc.text, location: locate(rpc.offset, rpc.text.length) });
        }
        j++;
      }
      if (inner > 0) {
        diagnostics.push({ severity: 'warning', code: 'proto-unbalanced', message: `service ${service.name} has no closing brace`, location: service.location });
      }
      services.push(service);
      i = j - 1;
    }
  }
  // A package declared after a service still qualifies it (protoc allows any order).
  for (const service of services) service.fullName = pkg ? `${pkg}.${service.name}` : service.name;
  return { file, package: pkg, services, diagnostics };
}
