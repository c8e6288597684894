/**
 * The subset of JSON Schema (draft-07) that boundary-lint's config and rule options use.
 * One schema object serves three purposes: the published JSON Schema (editors), the TypeScript
 * shape of the options, and `validate` below, which produces messages a person can act on.
 */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  enum?: readonly (string | number | boolean)[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | readonly JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  minimum?: number;
  pattern?: string;
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  default?: unknown;
  examples?: readonly unknown[];
  markdownDescription?: string;
}

export interface SchemaError {
  /** JSON path of the offending value, e.g. `rules.no-cycles[1].between`. */
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Edit distance, for "did you mean" hints on misspelt keys. */
export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`, if it is close enough to be a plausible typo. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function describeAllowed(schema: JsonSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (schema.oneOf ?? schema.anyOf) return (schema.oneOf ?? schema.anyOf)!.map(describeAllowed).join(' or ');
  if (schema.type === 'array' && schema.items && !Array.isArray(schema.items)) {
    return `an array of ${describeAllowed(schema.items as JsonSchema)}`;
  }
  if (schema.type === 'array' && Array.isArray(schema.items)) {
    return `[${(schema.items as JsonSchema[]).map(describeAllowed).join(', ')}]`;
  }
  if (schema.type === 'object') return 'an object';
  if (schema.type === 'string') return schema.minLength ? 'a non-empty string' : 'a string';
  return schema.type ?? 'any value';
}

/** Validates `value` against `schema`; returns every error, each naming its path and what is allowed. */
export function validate(value: unknown, schema: JsonSchema, path = ''): SchemaError[] {
  const where = path === '' ? 'the config' : path;
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const results = alternatives.map((alt) => validate(value, alt, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (schema.oneOf ? passing === 1 : passing >= 1) return [];
    // Prefer the errors of the alternative whose type matches, they are the specific ones.
    // Among those, the deepest error path is the most specific one (an option inside a tuple
    // beats "too many items" of a shorter tuple).
    const depth = (errors: SchemaError[]): number => Math.max(...errors.map((e) => e.path.length));
    const typed = alternatives
      .map((alt, i) => ({ alt, errors: results[i]! }))
      .filter(({ alt }) => alt.type !== undefined && matchesType(value, alt.type))
      .sort((a, b) => depth(b.errors) - depth(a.errors))[0];
    if (typed) return typed.errors;
    return [{ path: where, message: `found ${describeValue(value)}; allowed: ${describeAllowed(schema)}` }];
  }
  if (schema.type && !matchesType(value, schema.type)) {
    return [{ path: where, message: `found ${describeValue(value)} (${typeOf(value)}); allowed: ${describeAllowed(schema)}` }];
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    const hint = typeof value === 'string' ? nearest(value, schema.enum.map(String)) : undefined;
    return [{
      path: where,
      message: `found ${describeValue(value)}; allowed: ${describeAllowed(schema)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
    }];
  }
  const errors: SchemaError[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ path: where, message: `found an empty string; allowed: ${describeAllowed(schema)}` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path: where, message: `found ${describeValue(value)}; it must match /${schema.pattern}/` });
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    errors.push({ path: where, message: `found ${value}; allowed: a number >= ${schema.minimum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ path: where, message: `found ${value.length} item(s); at least ${schema.minItems} required` });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({ path: where, message: `found ${value.length} items; at most ${schema.maxItems} allowed` });
    }
    if (Array.isArray(schema.items)) {
      const tuple = schema.items as JsonSchema[];
      value.forEach((item, i) => {
        if (i < tuple.length) errors.push(...validate(item, tuple[i]!, joinPath(path, i)));
      });
    } else if (schema.items) {
      const itemSchema = schema.items as JsonSchema;
      value.forEach((item, i) => errors.push(...validate(item, itemSchema, joinPath(path, i))));
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const known = Object.keys(schema.properties ?? {});
    for (const key of schema.required ?? []) {
      if (key in object) continue;
      const expected = schema.properties?.[key];
      errors.push({ path: joinPath(path, key), message: `missing; this key is required${expected ? `, allowed: ${describeAllowed(expected)}` : ''}` });
    }
    for (const [key, child] of Object.entries(object)) {
      const childPath = joinPath(path, key);
      if (schema.propertyNames) {
        const nameErrors = validate(key, schema.propertyNames, childPath);
        if (nameErrors.length > 0) {
          errors.push(...nameErrors.map((e) => ({ ...e, message: e.message.replace(/^found/, 'found key') })));
          continue;
        }
      }
      const propertySchema = schema.properties?.[key];
      if (propertySchema) {
        errors.push(...validate(child, propertySchema, childPath));
      } else if (schema.additionalProperties === false) {
        const hint = nearest(key, known);
        errors.push({
          path: childPath,
          message: `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''} Allowed keys: ${known.join(', ')}`,
        });
      } else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validate(child, schema.additionalProperties, childPath));
      }
    }
  }
  return errors;
}
