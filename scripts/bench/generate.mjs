#!/usr/bin/env node
// Deterministic generator of a synthetic Cargo microservice monorepo for the benchmark.
//
//   node scripts/bench/generate.mjs [--scale small|target|10x] [--seed N] [--out DIR]
//                                   [--services N] [--libraries N] [--files-per-crate N]
//                                   [--lines-per-file N] [--sql-per-file X]
//
// Same parameters and seed -> byte-identical tree. Contents follow docs/field-guide.md: workspace
// globs and inheritance, path/renamed/dev/build dependencies, tonic gRPC servers and clients,
// reqwest calls via env-var URLs, rdkafka topics, sqlx SQL (raw strings, format!, QueryBuilder),
// migrations, protos, test modules, comments naming services, an orphan file or two.
// The tree's root holds `.bench-stamp.json`: generator version, parameters and what was generated
// (counts, intended service edges and cycles) so the benchmark knows its input.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorHash, parseGeneratorArgs, readStamp, Rng, scaleParams, STAMP_FILE, writeTree } from './common.mjs';

export { readStamp, STAMP_FILE };

/** Bump whenever the output for a given seed and parameters changes. */
export const GENERATOR_VERSION = 1;
/** Hash of this file and common.mjs: any edit to the generator invalidates trees made by an older copy. */
export const GENERATOR_HASH = generatorHash(import.meta.url);

export const SCALES = {
  // ~11k lines: a quick check.
  small: { services: 6, libraries: 5, filesPerCrate: 8, linesPerFile: 120, sqlPerFile: 1.6, seed: 1 },
  // product.md "Targets": ~200k lines, ~760 .rs files, ~60 manifests, ~1,500 SQL statements.
  target: { services: 34, libraries: 24, filesPerCrate: 13, linesPerFile: 265, sqlPerFile: 1.75, seed: 1 },
  // 10x the target: ~2M lines.
  '10x': { services: 340, libraries: 240, filesPerCrate: 13, linesPerFile: 265, sqlPerFile: 1.75, seed: 1 },
};

// ---------------------------------------------------------------------------------------------
// Naming helpers (the PRNG is in common.mjs)

const pascal = (s) => s.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const snake = (s) => s.replace(/-/g, '_');
const screaming = (s) => snake(s).toUpperCase();
const plural = (s) => (s.endsWith('s') ? `${s}es` : s.endsWith('y') ? `${s.slice(0, -1)}ies` : `${s}s`);

// Domains: service base name -> entities it owns (the first one is the main entity).
const DOMAINS = [
  ['user', ['user', 'user_profile', 'user_setting']],
  ['identity', ['credential', 'refresh_token', 'login_attempt']],
  ['content', ['post', 'post_revision', 'attachment']],
  ['feed', ['feed_item', 'feed_cursor']],
  ['messaging', ['conversation', 'message', 'participant']],
  ['notification', ['notification', 'notification_preference']],
  ['media', ['media_asset', 'transcode_job', 'thumbnail']],
  ['search', ['search_document', 'search_synonym']],
  ['social-graph', ['follow', 'block', 'mute']],
  ['comment', ['comment', 'comment_reaction']],
  ['moderation', ['report', 'moderation_case', 'ban']],
  ['analytics', ['page_view', 'daily_rollup']],
  ['billing', ['invoice', 'invoice_line', 'tax_rate']],
  ['payment', ['payment', 'refund', 'payment_method']],
  ['order', ['order', 'order_item', 'order_status_change']],
  ['inventory', ['stock_level', 'warehouse', 'reservation']],
  ['catalog', ['product', 'category', 'price']],
  ['cart', ['cart', 'cart_item']],
  ['shipping', ['shipment', 'carrier', 'tracking_event']],
  ['review', ['review', 'review_vote']],
  ['recommendation', ['recommendation', 'model_version']],
  ['ranking', ['ranking_signal', 'ranking_experiment']],
  ['session', ['session', 'device']],
  ['email', ['email_template', 'email_delivery']],
  ['push', ['push_token', 'push_delivery']],
  ['audit', ['audit_entry']],
  ['report', ['report_job', 'report_file']],
  ['scheduler', ['scheduled_job', 'job_run']],
  ['geo', ['place', 'region']],
  ['pricing', ['price_rule', 'discount']],
  ['subscription', ['subscription', 'plan']],
  ['ledger', ['ledger_entry', 'account_balance']],
  ['fraud', ['risk_score', 'fraud_signal']],
  ['gateway', ['api_key', 'rate_limit_bucket']],
  ['wallet', ['wallet', 'wallet_transaction']],
  ['loyalty', ['loyalty_account', 'reward']],
  ['kyc', ['verification', 'document']],
  ['webhook', ['webhook_endpoint', 'webhook_delivery']],
  ['export', ['export_job']],
  ['admin', ['admin_user', 'admin_action']],
];

// Libraries in dependency order: a library depends only on libraries before it.
const LIBRARY_NAMES = [
  'error-types', 'common', 'config-loader', 'tracing-setup', 'id-gen', 'time-utils', 'crypto-utils',
  'db-pool', 'proto', 'grpc-clients', 'http-client', 'kafka-events', 'cache', 'metrics', 'validation',
  'pagination', 'feature-flags', 'rate-limit', 'auth-middleware', 'storage', 'outbox', 'retry',
  'health', 'search-index', 'event-schema', 'money', 'i18n', 'templating', 'geo-utils', 'audit-log',
];

const EXTERNAL = {
  tokio: '{ version = "1.40", features = ["full"] }',
  serde: '{ version = "1.0", features = ["derive"] }',
  serde_json: '"1.0"',
  sqlx: '{ version = "0.8", default-features = false, features = ["runtime-tokio", "postgres", "uuid", "chrono", "macros"] }',
  tonic: '"0.12"',
  prost: '"0.13"',
  'tonic-build': '"0.12"',
  reqwest: '{ version = "0.12", default-features = false, features = ["json", "rustls-tls"] }',
  rdkafka: '{ version = "0.36", features = ["cmake-build"] }',
  tracing: '"0.1"',
  'tracing-subscriber': '{ version = "0.3", features = ["env-filter", "json"] }',
  anyhow: '"1.0"',
  thiserror: '"1.0"',
  uuid: '{ version = "1.10", features = ["v4", "serde"] }',
  chrono: '{ version = "0.4", features = ["serde"] }',
  axum: '"0.7"',
  futures: '"0.3"',
  'async-trait': '"0.1"',
  redis: '{ version = "0.27", features = ["tokio-comp"] }',
  once_cell: '"1.19"',
};

const FIELD_POOL = [
  ['status', 'String', 'TEXT NOT NULL DEFAULT \'active\''],
  ['title', 'String', 'TEXT NOT NULL'],
  ['body', 'Option<String>', 'TEXT'],
  ['amount_cents', 'i64', 'BIGINT NOT NULL DEFAULT 0'],
  ['currency', 'String', 'CHAR(3) NOT NULL DEFAULT \'EUR\''],
  ['priority', 'i32', 'INTEGER NOT NULL DEFAULT 0'],
  ['metadata', 'serde_json::Value', 'JSONB NOT NULL DEFAULT \'{}\''],
  ['external_ref', 'Option<String>', 'TEXT'],
  ['deleted_at', 'Option<DateTime<Utc>>', 'TIMESTAMPTZ'],
  ['updated_at', 'DateTime<Utc>', 'TIMESTAMPTZ NOT NULL DEFAULT now()'],
  ['version', 'i32', 'INTEGER NOT NULL DEFAULT 1'],
  ['locale', 'String', 'TEXT NOT NULL DEFAULT \'en\''],
  ['score', 'f64', 'DOUBLE PRECISION NOT NULL DEFAULT 0'],
  ['is_public', 'bool', 'BOOLEAN NOT NULL DEFAULT true'],
];

const NOUNS = ['batch', 'snapshot', 'summary', 'window', 'policy', 'rule', 'quota', 'cursor', 'lease', 'ticket', 'bucket', 'digest', 'filter', 'plan', 'slot', 'token', 'marker', 'hint', 'budget', 'span'];
const VERBS = ['load', 'refresh', 'apply', 'merge', 'resolve', 'validate', 'normalize', 'collect', 'expire', 'rebuild', 'compact', 'dispatch', 'reconcile', 'score', 'split', 'flush', 'prune', 'render', 'sync', 'track'];
const ADJ = ['pending', 'active', 'stale', 'primary', 'cached', 'scoped', 'partial', 'recent', 'archived', 'default'];

// ---------------------------------------------------------------------------------------------
// Model of the repository to generate

function buildPlan(params) {
  const rng = new Rng(params.seed * 7919 + 17);
  const services = [];
  for (let i = 0; i < params.services; i++) {
    const [base, entities] = DOMAINS[i % DOMAINS.length];
    const round = Math.floor(i / DOMAINS.length);
    const name = round === 0 ? base : `${base}${round + 1}`;
    const crate = `${name}-service`;
    const grpc = `${pascal(name)}Service`;
    const tableSuffix = round === 0 ? '' : `_${round + 1}`;
    const ents = entities.map((e) => ({ name: e, type: pascal(e), table: plural(e) + tableSuffix, fields: rng.sample(FIELD_POOL, rng.int(3, 6)) }));
    services.push({
      index: i, name, crate, dir: `services/${crate}`, grpc, mod: snake(crate), pkg: `nova.${snake(crate)}.v1`,
      entities: ents, topic: `nova.${name}.events`, envUrl: `${screaming(crate)}_URL`,
      grpcCalls: [], declaredOnly: [], httpCalls: [], consumes: [], libs: [], rsFiles: 0, sql: 0,
    });
  }
  // Service call graph: a DAG from higher to lower index, then a few back edges (cycles).
  const edges = [];
  for (const s of services) {
    if (s.index === 0) continue;
    const lower = services.slice(Math.max(0, s.index - 12), s.index);
    for (const t of rng.sample(lower, rng.int(1, Math.min(3, lower.length)))) {
      const kind = rng.chance(0.75) ? 'grpc' : 'http';
      if (kind === 'grpc') s.grpcCalls.push(t);
      else s.httpCalls.push(t);
      edges.push({ from: s.crate, to: t.crate, kind });
    }
    if (rng.chance(0.5)) {
      const t = rng.pick(lower);
      s.consumes.push(t);
      edges.push({ from: t.crate, to: s.crate, kind: 'event', topic: t.topic });
    }
    if (s.index >= 4 && rng.chance(0.12)) {
      const t = rng.pick(lower.filter((x) => !s.grpcCalls.includes(x) && !s.httpCalls.includes(x)));
      if (t) {
        s.declaredOnly.push(t);
        edges.push({ from: s.crate, to: t.crate, kind: 'grpc-declared' });
      }
    }
  }
  const cycles = [];
  const wantCycles = Math.max(1, Math.round(params.services / 12));
  const candidates = rng.shuffle(services.filter((s) => s.grpcCalls.length > 0));
  for (const s of candidates.slice(0, wantCycles)) {
    const t = s.grpcCalls[0];
    if (t.grpcCalls.includes(s)) continue;
    t.grpcCalls.push(s);
    edges.push({ from: t.crate, to: s.crate, kind: 'grpc' });
    cycles.push([t.crate, s.crate]);
  }

  // Libraries: each depends on a few earlier ones (acyclic); `test-utils` is always last.
  const libraries = [];
  const count = Math.max(2, params.libraries);
  for (let i = 0; i < count - 1; i++) {
    const base = LIBRARY_NAMES[i % LIBRARY_NAMES.length];
    const round = Math.floor(i / LIBRARY_NAMES.length);
    const name = round === 0 ? base : `${base}-${round + 1}`;
    libraries.push({ index: i, name, dir: `libs/${name}`, pkg: name === 'proto' ? 'nova-proto' : name, deps: [], rsFiles: 0, sql: 0 });
  }
  libraries.push({ index: count - 1, name: 'test-utils', dir: 'libs/test-utils', pkg: 'test-utils', deps: [], rsFiles: 0, sql: 0 });
  const byName = new Map(libraries.map((l) => [l.name, l]));
  for (const lib of libraries) {
    const earlier = libraries.slice(0, lib.index).filter((l) => l.name !== 'test-utils');
    if (lib.index > 0) lib.deps.push(libraries[0]); // error-types
    if (lib.name === 'grpc-clients' && byName.has('proto')) lib.deps.push(byName.get('proto'));
    if (lib.name === 'test-utils' && byName.has('db-pool')) lib.deps.push(byName.get('db-pool'));
    for (const d of rng.sample(earlier.slice(-10), rng.int(0, Math.min(3, earlier.length)))) if (!lib.deps.includes(d)) lib.deps.push(d);
    lib.deps.sort((a, b) => a.index - b.index);
  }
  const prodLibs = libraries.filter((l) => l.name !== 'test-utils');
  for (const s of services) {
    const must = ['error-types', 'common', 'db-pool', 'grpc-clients', 'proto', 'kafka-events', 'config-loader'].map((n) => byName.get(n)).filter(Boolean);
    const extra = rng.sample(prodLibs.filter((l) => !must.includes(l)), rng.int(1, 4));
    s.libs = [...must, ...extra].sort((a, b) => a.index - b.index);
  }

  // .rs files per crate: services get more than libraries; the total is crates * filesPerCrate.
  const crates = [...services, ...libraries];
  const total = Math.round(crates.length * params.filesPerCrate);
  const weights = crates.map((c) => ('grpc' in c ? 1.25 : 0.65) * (0.75 + rng.next() * 0.5));
  const wsum = weights.reduce((a, b) => a + b, 0);
  let assigned = 0;
  crates.forEach((c, i) => {
    c.rsFiles = Math.max('grpc' in c ? 9 : 3, Math.round((weights[i] / wsum) * total));
    assigned += c.rsFiles;
  });
  for (let i = 0; assigned !== total && i < 100000; i++) {
    const c = crates[i % crates.length];
    const min = 'grpc' in c ? 9 : 3;
    if (assigned > total && c.rsFiles > min) { c.rsFiles--; assigned--; }
    else if (assigned < total) { c.rsFiles++; assigned++; }
  }
  // Embedded SQL: sqlPerFile * total .rs files, mostly in services' repository modules.
  const sqlTotal = Math.round(params.sqlPerFile * total);
  const sqlLibs = libraries.filter((l) => ['db-pool', 'outbox', 'audit-log', 'health'].includes(l.name.replace(/-\d+$/, '')));
  let libSql = 0;
  for (const l of sqlLibs) { l.sql = 2 + rng.int(0, 3); libSql += l.sql; }
  const svcWeights = services.map((s) => s.rsFiles * (0.6 + rng.next() * 0.8));
  const sw = svcWeights.reduce((a, b) => a + b, 0);
  let left = sqlTotal - libSql;
  services.forEach((s, i) => { s.sql = Math.max(2, Math.round(((sqlTotal - libSql) * svcWeights[i]) / sw)); left -= s.sql; });
  for (let i = 0; left !== 0 && i < 100000; i++) {
    const s = services[i % services.length];
    if (left > 0) { s.sql++; left--; } else if (s.sql > 2) { s.sql--; left++; }
  }
  return { services, libraries, edges, cycles };
}

// ---------------------------------------------------------------------------------------------
// Rust source building blocks. Every block returns an array of lines.

class Ctx {
  constructor(rng, plan) {
    this.rng = rng;
    this.plan = plan;
    this.counter = 0;
  }
  id(prefix) {
    this.counter++;
    return `${prefix}${this.counter.toString(36)}`;
  }
}

function docComment(rng, indent, subject) {
  const lines = [
    `${indent}/// ${pascal(rng.pick(VERBS))}s the ${rng.pick(ADJ)} ${subject} and returns the result.`,
  ];
  if (rng.chance(0.5)) {
    lines.push(`${indent}///`);
    lines.push(`${indent}/// Callers must hold the ${rng.pick(NOUNS)} lock; see the module docs for the retry policy.`);
  }
  return lines;
}

function fillerStruct(ctx, svc) {
  const { rng } = ctx;
  const name = `${pascal(rng.pick(ADJ))}${pascal(rng.pick(NOUNS))}${ctx.id('V')}`;
  const fields = rng.sample(FIELD_POOL, rng.int(2, 6));
  const lines = [...docComment(rng, '', snake(name).toLowerCase())];
  lines.push('#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]');
  lines.push(`pub struct ${name} {`);
  lines.push('    pub id: Uuid,');
  for (const [f, t] of fields) lines.push(`    pub ${f}: ${t},`);
  lines.push('}', '');
  lines.push(`impl ${name} {`);
  lines.push(`    pub fn new(id: Uuid) -> Self {`);
  lines.push('        Self {');
  lines.push('            id,');
  for (const [f, t] of fields) lines.push(`            ${f}: ${defaultFor(t)},`);
  lines.push('        }');
  lines.push('    }', '');
  const verb = rng.pick(VERBS);
  lines.push(`    /// Returns true when the ${snake(svc.name)} record can be ${verb}ed.`);
  lines.push(`    pub fn can_${verb}(&self, now: DateTime<Utc>) -> bool {`);
  lines.push(`        let age = now.signed_duration_since(now);`);
  lines.push(`        if age.num_seconds() > ${rng.int(30, 86400)} {`);
  lines.push(`            tracing::debug!(id = %self.id, "${verb} skipped: too old");`);
  lines.push('            return false;');
  lines.push('        }');
  lines.push('        true');
  lines.push('    }');
  lines.push('}', '');
  return lines;
}

function defaultFor(t) {
  if (t === 'String') return 'String::new()';
  if (t.startsWith('Option')) return 'None';
  if (t === 'i64' || t === 'i32') return '0';
  if (t === 'f64') return '0.0';
  if (t === 'bool') return 'false';
  if (t === 'serde_json::Value') return 'serde_json::Value::Null';
  return 'Utc::now()';
}

function fillerEnum(ctx) {
  const { rng } = ctx;
  const name = `${pascal(rng.pick(NOUNS))}State${ctx.id('')}`;
  const variants = rng.sample(['Pending', 'Active', 'Suspended', 'Closed', 'Failed', 'Retrying', 'Archived', 'Draft'], rng.int(3, 6));
  const lines = [`/// Lifecycle of a ${rng.pick(NOUNS)}.`, '#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]', `pub enum ${name} {`];
  for (const v of variants) lines.push(`    ${v},`);
  lines.push('}', '', `impl std::fmt::Display for ${name} {`, '    fn fmt(&self, f: &mut std::fmt::Formatter<\'_>) -> std::fmt::Result {', '        let s = match self {');
  for (const v of variants) lines.push(`            Self::${v} => "${v.toLowerCase()}",`);
  lines.push('        };', '        f.write_str(s)', '    }', '}', '');
  lines.push(`impl std::str::FromStr for ${name} {`, '    type Err = AppError;', '', '    fn from_str(s: &str) -> Result<Self, Self::Err> {', '        match s {');
  for (const v of variants) lines.push(`            "${v.toLowerCase()}" => Ok(Self::${v}),`);
  lines.push(`            other => Err(AppError::InvalidArgument(format!("unknown state: {other}"))),`, '        }', '    }', '}', '');
  return lines;
}

function fillerFn(ctx, svc, others) {
  const { rng } = ctx;
  const verb = rng.pick(VERBS);
  const noun = rng.pick(NOUNS);
  const fname = `${verb}_${noun}_${ctx.id('')}`;
  const lines = [...docComment(rng, '', noun)];
  if (rng.chance(0.3) && others.length > 0) {
    // Comments name other services all the time; never an edge.
    const o = rng.pick(others);
    lines.push(`// TODO(${rng.pick(['alice', 'bob', 'chen', 'dana'])}): call ${o.crate} instead of reading its tables directly.`);
  }
  lines.push(`pub async fn ${fname}(items: &[Uuid], limit: usize) -> Result<Vec<Uuid>, AppError> {`);
  lines.push('    let mut out = Vec::with_capacity(items.len().min(limit));');
  lines.push('    for (i, id) in items.iter().enumerate() {');
  lines.push('        if i >= limit {');
  lines.push(`            tracing::warn!(limit, "${noun} limit reached");`);
  lines.push('            break;');
  lines.push('        }');
  if (rng.chance(0.5)) {
    lines.push('        if out.contains(id) {');
    lines.push('            continue;');
    lines.push('        }');
  }
  lines.push('        out.push(*id);');
  lines.push('    }');
  if (rng.chance(0.4)) {
    lines.push('    out.sort();');
    lines.push('    out.dedup();');
  }
  if (rng.chance(0.25)) lines.push(`    tracing::info!(count = out.len(), "failed to update ${noun}: retry scheduled");`);
  lines.push('    Ok(out)');
  lines.push('}', '');
  return lines;
}

function fillerTrait(ctx) {
  const { rng } = ctx;
  const noun = pascal(rng.pick(NOUNS));
  const name = `${noun}Store${ctx.id('')}`;
  const m1 = rng.pick(VERBS);
  const m2 = rng.pick(VERBS.filter((v) => v !== m1));
  return [
    `/// Storage abstraction for ${noun.toLowerCase()}s, mocked in tests.`,
    '#[async_trait::async_trait]',
    `pub trait ${name}: Send + Sync {`,
    `    async fn ${m1}(&self, id: Uuid) -> Result<Option<${noun}Record>, AppError>;`,
    `    async fn ${m2}(&self, ids: &[Uuid]) -> Result<usize, AppError>;`,
    '}',
    '',
    `pub struct InMemory${name} {`,
    `    inner: tokio::sync::RwLock<HashMap<Uuid, ${noun}Record>>,`,
    '}',
    '',
    '#[async_trait::async_trait]',
    `impl ${name} for InMemory${name} {`,
    `    async fn ${m1}(&self, id: Uuid) -> Result<Option<${noun}Record>, AppError> {`,
    '        Ok(self.inner.read().await.get(&id).cloned())',
    '    }',
    '',
    `    async fn ${m2}(&self, ids: &[Uuid]) -> Result<usize, AppError> {`,
    '        let guard = self.inner.read().await;',
    '        Ok(ids.iter().filter(|id| guard.contains_key(id)).count())',
    '    }',
    '}',
    '',
    `#[derive(Debug, Clone)]`,
    `pub struct ${noun}Record {`,
    '    pub id: Uuid,',
    '    pub created_at: DateTime<Utc>,',
    '}',
    '',
  ];
}

function fillerBlock(ctx, svc, others) {
  const r = ctx.rng.next();
  if (r < 0.35) return fillerStruct(ctx, svc);
  if (r < 0.6) return fillerFn(ctx, svc, others);
  if (r < 0.8) return fillerEnum(ctx);
  return fillerTrait(ctx);
}

function testsModule(ctx, svc, withSqlPayload) {
  const { rng } = ctx;
  const lines = ['#[cfg(test)]', 'mod tests {', '    use super::*;', ''];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const v = rng.pick(VERBS);
    lines.push(rng.chance(0.5) ? '    #[tokio::test]' : '    #[test]');
    lines.push(`    ${lines[lines.length - 1].includes('tokio') ? 'async ' : ''}fn ${v}_${ctx.id('case_')}() {`);
    lines.push('        let id = Uuid::new_v4();');
    if (withSqlPayload && i === 0) {
      lines.push(`        let payload = "'; DROP TABLE ${rng.pick(svc.entities).table}; --";`);
      lines.push('        assert!(payload.contains("DROP"));');
    } else {
      lines.push('        assert_ne!(id, Uuid::nil());');
    }
    lines.push('    }');
    if (i < n - 1) lines.push('');
  }
  lines.push('}');
  return lines;
}

// SQL sites: each returns { lines, statements } with statements = 1.
function sqlSite(ctx, svc, allServices, crossRate) {
  const { rng } = ctx;
  const ent = rng.pick(svc.entities);
  let other = null;
  if (rng.chance(crossRate)) {
    const o = rng.pick(allServices.filter((s) => s !== svc));
    if (o) other = rng.pick(o.entities);
  }
  const cols = ent.fields.map(([f]) => f);
  const fn = `${rng.pick(['find', 'list', 'count', 'insert', 'update', 'delete', 'upsert', 'touch', 'archive'])}_${ent.name}_${ctx.id('')}`;
  const t = ent.table;
  const kind = rng.int(0, 11);
  const L = [];
  switch (kind) {
    case 0:
      L.push(`pub async fn ${fn}(pool: &PgPool, id: Uuid) -> Result<Option<${ent.type}Row>, AppError> {`);
      L.push(`    let row = sqlx::query_as!(`, `        ${ent.type}Row,`, '        r#"');
      L.push(`        SELECT id, ${cols.join(', ')}, created_at`, `        FROM ${t}`, '        WHERE id = $1', '          AND deleted_at IS NULL', '        "#,');
      L.push('        id', '    )', '    .fetch_optional(pool)', '    .await?;', '    Ok(row)', '}');
      break;
    case 1:
      L.push(`pub async fn ${fn}(pool: &PgPool, owner: Uuid, ${cols[0]}: &str) -> Result<Uuid, AppError> {`);
      L.push(`    let rec = sqlx::query!(`);
      L.push(`        "INSERT INTO ${t} (id, owner_id, ${cols[0]}, created_at) VALUES ($1, $2, $3, now()) RETURNING id",`);
      L.push('        Uuid::new_v4(),', '        owner,', `        ${cols[0]}`, '    )', '    .fetch_one(pool)', '    .await?;', '    Ok(rec.id)', '}');
      break;
    case 2:
      L.push(`pub async fn ${fn}(pool: &PgPool, id: Uuid, status: &str) -> Result<u64, AppError> {`);
      L.push('    let result = sqlx::query(');
      L.push(`        "UPDATE ${t} \\`, '         SET status = $2, updated_at = now() \\', '         WHERE id = $1",');
      L.push('    )', '    .bind(id)', '    .bind(status)', '    .execute(pool)', '    .await?;', '    Ok(result.rows_affected())', '}');
      break;
    case 3:
      L.push(`pub async fn ${fn}(pool: &PgPool, before: DateTime<Utc>) -> Result<u64, AppError> {`);
      L.push(`    let done = sqlx::query!("DELETE FROM ${t} WHERE created_at < $1", before)`, '        .execute(pool)', '        .await?', '        .rows_affected();');
      L.push(`    tracing::info!(done, "deleted expired ${ent.name} rows");`, '    Ok(done)', '}');
      break;
    case 4: {
      const join = other ?? rng.pick(svc.entities);
      L.push(`pub async fn ${fn}(pool: &PgPool, owner: Uuid, limit: i64) -> Result<Vec<${ent.type}Row>, AppError> {`);
      L.push(`    let rows = sqlx::query_as::<_, ${ent.type}Row>(`, '        r#"');
      L.push(`        SELECT a.id, a.${cols[0]}, a.created_at`, `        FROM ${t} a`, `        JOIN ${join.table} b ON b.id = a.id`, '        WHERE a.owner_id = $1', '        ORDER BY a.created_at DESC', '        LIMIT $2', '        "#,');
      L.push('    )', '    .bind(owner)', '    .bind(limit)', '    .fetch_all(pool)', '    .await?;', '    Ok(rows)', '}');
      break;
    }
    case 5: {
      const cname = `${screaming(ent.name)}_TABLE_${ctx.id('').toUpperCase()}`;
      L.push(`const ${cname}: &str = "${t}";`, '');
      L.push(`pub async fn ${fn}(pool: &PgPool, status: &str) -> Result<i64, AppError> {`);
      L.push(`    let sql = format!("SELECT COUNT(*) FROM {} WHERE status = $1", ${cname});`);
      L.push('    let n: i64 = sqlx::query_scalar(&sql).bind(status).fetch_one(pool).await?;', '    Ok(n)', '}');
      break;
    }
    case 6:
      L.push(`pub async fn ${fn}(pool: &PgPool, id: Uuid, payload: serde_json::Value) -> Result<(), AppError> {`);
      L.push('    sqlx::query!(', '        r#"');
      L.push(`        INSERT INTO ${t} (id, metadata, updated_at)`, '        VALUES ($1, $2, now())', '        ON CONFLICT (id) DO UPDATE', '            SET metadata = EXCLUDED.metadata,', '                updated_at = now()', '        "#,');
      L.push('        id,', '        payload', '    )', '    .execute(pool)', '    .await?;', '    Ok(())', '}');
      break;
    case 7: {
      const src = other ?? rng.pick(svc.entities);
      L.push(`pub async fn ${fn}(pool: &PgPool, since: DateTime<Utc>) -> Result<Vec<Uuid>, AppError> {`);
      L.push('    let ids = sqlx::query_scalar!(', '        r#"');
      L.push(`        WITH recent AS (`, `            SELECT id FROM ${src.table}`, '            WHERE created_at >= $1', '        )', `        SELECT t.id AS "id!" FROM ${t} t`, '        JOIN recent r ON r.id = t.id', '        "#,');
      L.push('        since', '    )', '    .fetch_all(pool)', '    .await?;', '    Ok(ids)', '}');
      break;
    }
    case 8:
      L.push(`pub async fn ${fn}(pool: &PgPool, filter: &${ent.type}Filter) -> Result<Vec<${ent.type}Row>, AppError> {`);
      L.push(`    let mut qb = QueryBuilder::<Postgres>::new("SELECT id, ${cols[0]}, created_at FROM ${t} WHERE 1 = 1");`);
      L.push('    if let Some(status) = &filter.status {', '        qb.push(" AND status = ").push_bind(status.clone());', '    }');
      L.push('    if let Some(after) = filter.after {', '        qb.push(" AND created_at > ").push_bind(after);', '    }');
      L.push('    qb.push(" ORDER BY created_at DESC LIMIT ").push_bind(filter.limit);');
      L.push(`    let rows = qb.build_query_as::<${ent.type}Row>().fetch_all(pool).await?;`, '    Ok(rows)', '}');
      break;
    case 9: {
      const src = other ?? rng.pick(svc.entities);
      L.push(`pub async fn ${fn}(pool: &PgPool, owner: Uuid) -> Result<u64, AppError> {`);
      L.push('    let res = sqlx::query(', '        r#"');
      L.push(`        UPDATE ${t} AS t`, '        SET version = t.version + 1', `        FROM ${src.table} s`, '        WHERE s.id = t.id AND s.owner_id = $1', '        "#,');
      L.push('    )', '    .bind(owner)', '    .execute(pool)', '    .await?;', '    Ok(res.rows_affected())', '}');
      break;
    }
    case 10:
      L.push(`pub async fn ${fn}(client: &tokio_postgres::Client, id: Uuid) -> Result<Option<String>, AppError> {`);
      L.push(`    let rows = client`, `        .query("SELECT ${cols[0]}::text FROM public.${t} WHERE id = $1", &[&id])`, '        .await?;');
      L.push('    Ok(rows.first().map(|r| r.get(0)))', '}');
      break;
    default: {
      const cname = `SELECT_${screaming(ent.name)}_${ctx.id('').toUpperCase()}`;
      L.push(`const ${cname}: &str = "SELECT id, ${cols.join(', ')} FROM ${t} WHERE id = ANY($1)";`, '');
      L.push(`pub async fn ${fn}(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<${ent.type}Row>, AppError> {`);
      L.push(`    let rows = sqlx::query_as::<_, ${ent.type}Row>(${cname})`, '        .bind(ids)', '        .fetch_all(pool)', '        .await', `        .map_err(|e| AppError::Database(format!("failed to select ${ent.name}: {e}")))?;`, '    Ok(rows)', '}');
    }
  }
  L.push('');
  return { lines: L, cross: other ? other.table : null };
}

// ---------------------------------------------------------------------------------------------
// Files

const SERVICE_PRELUDE = [
  'use std::collections::HashMap;',
  '',
  'use chrono::{DateTime, Utc};',
  'use serde::{Deserialize, Serialize};',
  'use uuid::Uuid;',
  '',
  'use crate::error::AppError;',
];

function prelude(isLib, extra = []) {
  const lines = [...SERVICE_PRELUDE];
  if (isLib) lines[lines.length - 1] = 'use error_types::AppError;';
  return [...lines, ...extra, ''];
}

function pad(ctx, lines, target, svc, others) {
  while (lines.length < target) lines.push(...fillerBlock(ctx, svc, others));
}

/** Writes the tree; returns stats. */
export function generate(params, outDir) {
  const rng = new Rng(params.seed);
  const plan = buildPlan(params);
  const ctx = new Ctx(rng, plan);
  const files = new Map(); // path -> content
  const put = (p, content) => {
    if (files.has(p)) throw new Error(`generator bug: ${p} written twice`);
    files.set(p, content);
  };
  let lineBudget = 0; // running target minus actual, so the total lands near files * linesPerFile
  const rust = (p, lines) => put(p, `${lines.join('\n')}\n`);
  const target = () => {
    const base = Math.round(params.linesPerFile * (0.45 + rng.next() * 1.1));
    return Math.max(25, base + Math.max(-base / 2, Math.min(base, lineBudget)));
  };
  const account = (lines, planned) => { lineBudget += planned - lines; };
  const paddable = (p, lines, svc, others) => {
    const planned = Math.round(params.linesPerFile * 1);
    const t = target();
    pad(ctx, lines, t, svc, others);
    account(lines.length, planned);
    rust(p, lines);
  };
  const fixed = (p, lines) => {
    account(lines.length, params.linesPerFile);
    rust(p, lines);
  };

  const { services, libraries, edges, cycles } = plan;
  let crossAccesses = 0;
  let sqlInCode = 0;
  let sqlInMigrations = 0;

  // Root manifest.
  const legacy = { crate: 'legacy-billing-service', dir: 'services/legacy-billing-service' };
  const root = [
    '[workspace]',
    'resolver = "2"',
    'members = [',
    '    "services/*-service",',
    '    "libs/*",',
    '    # "tools/*",  # tools are built separately',
    ']',
    `exclude = ["${legacy.dir}"]`,
    '',
    '[workspace.package]',
    'version = "0.3.0"',
    'edition = "2021"',
    'license = "MIT"',
    'rust-version = "1.79"',
    '',
    '[workspace.dependencies]',
  ];
  for (const [k, v] of Object.entries(EXTERNAL)) root.push(`${k} = ${v}`);
  root.push('tokio-postgres = "0.7"', 'async-stream = "0.3"', '');
  root.push('# internal crates');
  for (const l of libraries) {
    if (l.name === 'proto') root.push(`proto = { package = "nova-proto", path = "${l.dir}" }`);
    else root.push(`${l.name} = { path = "${l.dir}" }`);
  }
  root.push('', '[profile.release]', 'lto = "thin"', 'codegen-units = 1', '');
  put('Cargo.toml', root.join('\n'));
  put('.gitignore', '/target\n*.log\n');
  put('README.md', `# nova backend (synthetic)\n\nGenerated by boundary-lint's benchmark (generator v${GENERATOR_VERSION}, seed ${params.seed}).\n${services.length} services, ${libraries.length} libraries.\n`);

  // Legacy service: looks like a service, excluded from the workspace.
  put(`${legacy.dir}/Cargo.toml`, ['[package]', `name = "${legacy.crate}"`, 'version = "0.1.0"', 'edition = "2021"', '', '[dependencies]', 'tokio = "1"', ''].join('\n'));
  const legacyMain = ['// Kept for reference during the migration; not a workspace member.', 'fn main() {', '    println!("legacy billing");', '}'];
  fixed(`${legacy.dir}/src/main.rs`, legacyMain);

  // Protos.
  for (const s of services) {
    const lines = ['syntax = "proto3";', '', `package ${s.pkg};`, '', 'import "google/protobuf/timestamp.proto";', '', `service ${s.grpc} {`];
    for (const e of s.entities) {
      lines.push(`  rpc Get${e.type}(Get${e.type}Request) returns (${e.type});`);
      lines.push(`  rpc List${plural(e.type)}(List${plural(e.type)}Request) returns (List${plural(e.type)}Response);`);
    }
    lines.push('}', '');
    for (const e of s.entities) {
      lines.push(`message Get${e.type}Request {`, '  string id = 1;', '}', '');
      lines.push(`message List${plural(e.type)}Request {`, '  string owner_id = 1;', '  int32 page_size = 2;', '  string page_token = 3;', '}', '');
      lines.push(`message List${plural(e.type)}Response {`, `  repeated ${e.type} items = 1;`, '  string next_page_token = 2;', '}', '');
      lines.push(`message ${e.type} {`, '  string id = 1;');
      e.fields.forEach(([f], i) => lines.push(`  string ${f} = ${i + 2};`));
      lines.push(`  google.protobuf.Timestamp created_at = ${e.fields.length + 2};`, '}', '');
    }
    put(`proto/services/${snake(s.crate)}.proto`, lines.join('\n'));
  }

  // Shared migrations (root) and per-service migrations.
  const shared = ['-- Shared bootstrap migration: extensions and the outbox used by every service.', 'CREATE EXTENSION IF NOT EXISTS "pgcrypto";', '', 'CREATE TABLE IF NOT EXISTS outbox_events (', '    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),', '    topic TEXT NOT NULL,', '    payload JSONB NOT NULL,', '    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),', '    published_at TIMESTAMPTZ', ');', '', 'CREATE INDEX IF NOT EXISTS idx_outbox_unpublished ON outbox_events (created_at) WHERE published_at IS NULL;', ''];
  put('migrations/0001_bootstrap.sql', shared.join('\n'));
  sqlInMigrations += 3;

  for (const s of services) {
    s.entities.forEach((e, i) => {
      const m = [`-- ${e.type} table, owned by ${s.crate}.`];
      if (rng.chance(0.3)) m.push(`-- boundary-lint: owner=${s.crate}`);
      m.push(`CREATE TABLE IF NOT EXISTS ${e.table} (`, '    id UUID PRIMARY KEY,', '    owner_id UUID NOT NULL,');
      for (const [f, , sqlType] of e.fields) m.push(`    ${f} ${sqlType},`);
      if (!e.fields.some(([f]) => f === 'status')) m.push("    status TEXT NOT NULL DEFAULT 'active',");
      if (!e.fields.some(([f]) => f === 'metadata')) m.push("    metadata JSONB NOT NULL DEFAULT '{}',");
      if (!e.fields.some(([f]) => f === 'updated_at')) m.push('    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),');
      if (!e.fields.some(([f]) => f === 'version')) m.push('    version INTEGER NOT NULL DEFAULT 1,');
      if (!e.fields.some(([f]) => f === 'deleted_at')) m.push('    deleted_at TIMESTAMPTZ,');
      m.push(`    service_owner TEXT NOT NULL DEFAULT '${s.crate}' CHECK (service_owner = '${s.crate}'),`);
      m.push('    created_at TIMESTAMPTZ NOT NULL DEFAULT now()', ');', '');
      m.push(`CREATE INDEX IF NOT EXISTS idx_${e.table}_owner ON ${e.table} (owner_id, created_at DESC);`, '');
      sqlInMigrations += 2;
      put(`${s.dir}/migrations/${String(i + 1).padStart(4, '0')}_create_${e.table}.sql`, m.join('\n'));
    });
  }

  // Services.
  for (const s of services) {
    const others = services.filter((o) => o !== s);
    const deps = s.libs;
    const m = ['[package]', `name = "${s.crate}"`, 'version.workspace = true', 'edition.workspace = true', 'license.workspace = true', 'publish = false', ''];
    const hasKafkaFeature = rng.chance(0.3);
    m.push('[dependencies]');
    const extern = ['tokio', 'serde', 'serde_json', 'sqlx', 'tonic', 'prost', 'tracing', 'anyhow', 'thiserror', 'uuid', 'chrono', 'async-trait', 'futures'];
    if (s.httpCalls.length > 0 || rng.chance(0.3)) extern.push('reqwest');
    if (rng.chance(0.4)) extern.push('axum');
    for (const k of extern) {
      if (k === 'tokio' && rng.chance(0.5)) m.push('tokio = { workspace = true, features = ["full"] }');
      else m.push(`${k}.workspace = true`);
    }
    m.push(hasKafkaFeature ? 'rdkafka = { workspace = true, optional = true }' : 'rdkafka.workspace = true');
    m.push('tokio-postgres.workspace = true');
    for (const l of deps) {
      if (l.name === 'proto') m.push('proto = { package = "nova-proto", path = "../../libs/proto" }');
      else if (rng.chance(0.6)) m.push(`${l.name}.workspace = true`);
      else m.push(`${l.name} = { path = "../../${l.dir}" }`);
    }
    m.push('', '[dev-dependencies]', 'test-utils = { path = "../../libs/test-utils" }', 'tokio = { workspace = true, features = ["test-util"] }', '');
    m.push('[build-dependencies]', 'tonic-build.workspace = true', '');
    if (rng.chance(0.2)) m.push("[target.'cfg(unix)'.dependencies]", 'nix = { version = "0.29", features = ["signal"] }', '');
    if (hasKafkaFeature) m.push('[features]', 'default = ["kafka"]', 'kafka = ["dep:rdkafka"]', '');
    put(`${s.dir}/Cargo.toml`, m.join('\n'));

    // build.rs: compile own proto as server; clients come from grpc-clients.
    fixed(`${s.dir}/build.rs`, [
      'fn main() -> Result<(), Box<dyn std::error::Error>> {',
      '    tonic_build::configure()',
      '        .build_server(true)',
      '        .build_client(false)',
      `        .compile_protos(&["../../proto/services/${snake(s.crate)}.proto"], &["../../proto"])?;`,
      '    Ok(())',
      '}',
    ]);
    let budget = s.rsFiles - 1; // build.rs done
    const sqlFiles = [];
    const domainFiles = [];
    const fixedMods = ['config', 'error', 'grpc', 'db', 'events'];
    const hasClients = s.grpcCalls.length + s.declaredOnly.length > 0;
    const hasHttp = s.httpCalls.length > 0;
    if (hasClients) fixedMods.push('clients');
    if (hasHttp) fixedMods.push('http');
    // main.rs, config.rs, error.rs, grpc/mod.rs, grpc/server.rs, db/mod.rs, events.rs, tests/integration.rs, clients, http
    budget -= 8 + (hasClients ? 1 : 0) + (hasHttp ? 1 : 0);
    const orphan = rng.chance(0.25) && budget > 2;
    if (orphan) budget--;
    const nSqlFiles = Math.max(1, Math.min(Math.ceil(s.sql / 5), Math.max(1, Math.ceil(budget * 0.55))));
    for (let i = 0; i < nSqlFiles; i++) sqlFiles.push(`${s.entities[i % s.entities.length].name}_repo${i >= s.entities.length ? `_${Math.floor(i / s.entities.length) + 1}` : ''}`);
    budget -= nSqlFiles;
    const hasDomain = budget > 0;
    if (hasDomain) {
      fixedMods.push('domain');
      budget--; // domain/mod.rs
      for (let i = 0; i < budget; i++) domainFiles.push(`${rng.pick(NOUNS)}_${rng.pick(VERBS)}_${i}`);
    }

    // main.rs
    const main = ['//! Entry point of ' + s.crate + '.', ''];
    for (const mod of fixedMods.sort()) main.push(`mod ${mod};`);
    main.push('', 'use std::net::SocketAddr;', '', 'use tonic::transport::Server;', 'use tracing_subscriber::EnvFilter;', '');
    main.push(`use crate::grpc::server::${s.grpc}Impl;`, `use proto::${s.mod}::v1::${s.mod}_server::${s.grpc}Server;`, '');
    main.push('#[tokio::main]', 'async fn main() -> anyhow::Result<()> {', '    tracing_subscriber::fmt().with_env_filter(EnvFilter::from_default_env()).json().init();');
    main.push('    let cfg = config::Config::from_env()?;', '    let pool = db_pool::connect(&cfg.database_url, cfg.max_connections).await?;');
    main.push(`    sqlx::migrate!("./migrations").run(&pool).await?;`);
    if (hasClients) main.push('    let clients = clients::Clients::connect(&cfg).await?;');
    main.push('    let producer = events::producer(&cfg)?;');
    if (s.consumes.length > 0) main.push('    tokio::spawn(events::consume(cfg.clone(), pool.clone()));');
    main.push(`    let service = ${s.grpc}Impl::new(pool.clone()${hasClients ? ', clients' : ''}, producer);`);
    main.push('    let addr: SocketAddr = cfg.grpc_addr.parse()?;', `    tracing::info!(%addr, "${s.crate} listening");`);
    main.push('    Server::builder()', `        .add_service(${s.grpc}Server::new(service))`, '        .serve(addr)', '        .await?;', '    Ok(())', '}');
    fixed(`${s.dir}/src/main.rs`, main);

    // config.rs: env var URLs of the services it calls over HTTP and gRPC.
    const cfg = ['use serde::Deserialize;', '', '#[derive(Debug, Clone, Deserialize)]', 'pub struct Config {', '    pub database_url: String,', '    pub max_connections: u32,', '    pub grpc_addr: String,', '    pub kafka_brokers: String,', '    pub events_topic: String,'];
    const called = [...s.grpcCalls, ...s.declaredOnly, ...s.httpCalls];
    for (const t of called) cfg.push(`    pub ${snake(t.crate)}_url: String,`);
    for (const t of s.consumes) cfg.push(`    pub ${snake(t.name)}_events_topic: String,`);
    cfg.push('}', '', 'fn env_or(key: &str, default: &str) -> String {', '    std::env::var(key).unwrap_or_else(|_| default.to_string())', '}', '');
    cfg.push('impl Config {', '    pub fn from_env() -> anyhow::Result<Self> {', '        Ok(Self {', '            database_url: std::env::var("DATABASE_URL")?,');
    cfg.push('            max_connections: env_or("DB_MAX_CONNECTIONS", "10").parse()?,', `            grpc_addr: env_or("GRPC_ADDR", "0.0.0.0:${50051 + s.index}"),`, '            kafka_brokers: env_or("KAFKA_BROKERS", "kafka:9092"),');
    cfg.push(`            events_topic: env_or("KAFKA_${screaming(s.name)}_EVENTS_TOPIC", "${s.topic}"),`);
    for (const t of called) cfg.push(`            ${snake(t.crate)}_url: env_or("${t.envUrl}", "http://${t.crate}:${s.httpCalls.includes(t) ? 8080 : 50051 + t.index}"),`);
    for (const t of s.consumes) cfg.push(`            ${snake(t.name)}_events_topic: env_or("KAFKA_${screaming(t.name)}_EVENTS_TOPIC", "${t.topic}"),`);
    cfg.push('        })', '    }', '}');
    fixed(`${s.dir}/src/config.rs`, cfg);

    fixed(`${s.dir}/src/error.rs`, [
      'use thiserror::Error;', '', '#[derive(Debug, Error)]', 'pub enum AppError {', '    #[error("not found")]', '    NotFound,', '    #[error("invalid argument: {0}")]', '    InvalidArgument(String),',
      '    #[error("database error: {0}")]', '    Database(String),', '    #[error(transparent)]', '    Sqlx(#[from] sqlx::Error),', '    #[error(transparent)]', '    Postgres(#[from] tokio_postgres::Error),', '    #[error(transparent)]', '    Rpc(#[from] tonic::Status),', '}', '',
      'impl From<AppError> for tonic::Status {', '    fn from(e: AppError) -> Self {', '        match e {', '            AppError::NotFound => tonic::Status::not_found("not found"),', '            AppError::InvalidArgument(m) => tonic::Status::invalid_argument(m),', '            other => tonic::Status::internal(other.to_string()),', '        }', '    }', '}',
    ]);

    // grpc/server.rs implements the generated trait.
    fixed(`${s.dir}/src/grpc/mod.rs`, ['pub mod server;']);
    const srv = ['use sqlx::PgPool;', 'use tonic::{Request, Response, Status};', '', `use proto::${s.mod}::v1::${s.mod}_server::${s.grpc};`, `use proto::${s.mod}::v1::*;`, ''];
    if (hasClients) srv.push('use crate::clients::Clients;');
    srv.push('use crate::events::Producer;', '');
    srv.push(`pub struct ${s.grpc}Impl {`, '    pool: PgPool,');
    if (hasClients) srv.push('    clients: Clients,');
    srv.push('    producer: Producer,', '}', '', `impl ${s.grpc}Impl {`, `    pub fn new(pool: PgPool${hasClients ? ', clients: Clients' : ''}, producer: Producer) -> Self {`, `        Self { pool${hasClients ? ', clients' : ''}, producer }`, '    }', '}', '');
    srv.push('#[tonic::async_trait]', `impl ${s.grpc} for ${s.grpc}Impl {`);
    s.entities.forEach((e, i) => {
      const repo = sqlFiles[i % sqlFiles.length];
      srv.push(`    async fn get_${e.name}(&self, request: Request<Get${e.type}Request>) -> Result<Response<${e.type}>, Status> {`);
      srv.push('        let id = request.into_inner().id.parse().map_err(|_| Status::invalid_argument("id"))?;');
      srv.push(`        let row = crate::db::${repo}::load(&self.pool, id).await?.ok_or_else(|| Status::not_found("${e.name}"))?;`);
      srv.push('        Ok(Response::new(row.into()))', '    }', '');
      srv.push(`    async fn list_${plural(e.name)}(&self, request: Request<List${plural(e.type)}Request>) -> Result<Response<List${plural(e.type)}Response>, Status> {`);
      srv.push('        let req = request.into_inner();', `        let items = crate::db::${repo}::load_page(&self.pool, &req.owner_id, req.page_size).await?;`);
      srv.push(`        Ok(Response::new(List${plural(e.type)}Response { items: items.into_iter().map(Into::into).collect(), next_page_token: String::new() }))`, '    }');
      if (i < s.entities.length - 1) srv.push('');
    });
    srv.push('}');
    fixed(`${s.dir}/src/grpc/server.rs`, srv);

    // clients.rs: gRPC clients through the shared grpc-clients crate, and the RPCs called.
    if (hasClients) {
      const c = ['use tonic::transport::Channel;', 'use tonic::Request;', ''];
      for (const t of [...s.grpcCalls, ...s.declaredOnly]) c.push(`use grpc_clients::${t.grpc}Client;`);
      c.push('', 'use crate::config::Config;', 'use crate::error::AppError;', '', '#[derive(Clone)]', 'pub struct Clients {');
      for (const t of [...s.grpcCalls, ...s.declaredOnly]) c.push(`    pub ${snake(t.name)}: ${t.grpc}Client<Channel>,`);
      c.push('}', '', 'impl Clients {', '    pub async fn connect(cfg: &Config) -> Result<Self, AppError> {', '        Ok(Self {');
      for (const t of [...s.grpcCalls, ...s.declaredOnly]) c.push(`            ${snake(t.name)}: ${t.grpc}Client::connect(cfg.${snake(t.crate)}_url.clone()).await.map_err(|e| AppError::Database(e.to_string()))?,`);
      c.push('        })', '    }', '');
      for (const t of s.grpcCalls) {
        const e = t.entities[0];
        c.push(`    /// Fetches a ${e.name} from ${t.crate}.`);
        c.push(`    pub async fn fetch_${snake(t.name)}_${e.name}(&self, id: &str) -> Result<proto::${t.mod}::v1::${e.type}, AppError> {`);
        c.push(`        let mut client = self.${snake(t.name)}.clone();`);
        c.push(`        let request = Request::new(proto::${t.mod}::v1::Get${e.type}Request { id: id.to_string() });`);
        c.push(`        let response = client.get_${e.name}(request).await?;`, '        Ok(response.into_inner())', '    }', '');
      }
      c.push('}');
      paddable(`${s.dir}/src/clients.rs`, c, s, others);
    }
    if (hasHttp) {
      const h = ['use reqwest::Client;', 'use serde::Deserialize;', '', 'use crate::config::Config;', 'use crate::error::AppError;', ''];
      for (const t of s.httpCalls) {
        const e = t.entities[0];
        h.push('#[derive(Debug, Deserialize)]', `pub struct Remote${e.type}${t.index} {`, '    pub id: String,', '}', '');
        h.push(`pub async fn get_${snake(t.name)}_${e.name}(http: &Client, cfg: &Config, id: &str) -> Result<Remote${e.type}${t.index}, AppError> {`);
        h.push(`    let url = format!("{}/v1/${plural(e.name)}/{}", cfg.${snake(t.crate)}_url, id);`);
        h.push('    let resp = http.get(&url).send().await.map_err(|e| AppError::Database(e.to_string()))?;');
        h.push('    resp.error_for_status_ref().map_err(|e| AppError::Database(e.to_string()))?;', '    resp.json().await.map_err(|e| AppError::Database(e.to_string()))', '}', '');
      }
      paddable(`${s.dir}/src/http.rs`, h, s, others);
    }

    // events.rs: rdkafka producer and consumers.
    const ev = ['use std::time::Duration;', '', 'use rdkafka::config::ClientConfig;', 'use rdkafka::consumer::{Consumer, StreamConsumer};', 'use rdkafka::producer::{FutureProducer, FutureRecord};', 'use sqlx::PgPool;', '', 'use crate::config::Config;', 'use crate::error::AppError;', ''];
    ev.push('pub type Producer = FutureProducer;', '', 'pub fn producer(cfg: &Config) -> Result<Producer, AppError> {', '    ClientConfig::new()', '        .set("bootstrap.servers", &cfg.kafka_brokers)', '        .create()', '        .map_err(|e| AppError::Database(e.to_string()))', '}', '');
    ev.push('pub async fn publish(producer: &Producer, cfg: &Config, key: &str, payload: &str) -> Result<(), AppError> {', '    producer', '        .send(FutureRecord::to(&cfg.events_topic).key(key).payload(payload), Duration::from_secs(5))', '        .await', '        .map_err(|(e, _)| AppError::Database(e.to_string()))?;', '    Ok(())', '}', '');
    if (s.consumes.length > 0) {
      ev.push('pub async fn consume(cfg: Config, pool: PgPool) -> Result<(), AppError> {', '    let consumer: StreamConsumer = ClientConfig::new()', '        .set("bootstrap.servers", &cfg.kafka_brokers)', `        .set("group.id", "${s.crate}")`, '        .create()', '        .map_err(|e| AppError::Database(e.to_string()))?;');
      ev.push(`    consumer.subscribe(&[${s.consumes.map((t) => `cfg.${snake(t.name)}_events_topic.as_str()`).join(', ')}]).map_err(|e| AppError::Database(e.to_string()))?;`);
      ev.push('    loop {', '        let msg = consumer.recv().await.map_err(|e| AppError::Database(e.to_string()))?;', '        tracing::debug!(offset = msg.offset(), "event received");', '        let _ = &pool;', '    }', '}', '');
    }
    paddable(`${s.dir}/src/events.rs`, ev, s, others);

    // db/: repositories with the embedded SQL.
    fixed(`${s.dir}/src/db/mod.rs`, [...sqlFiles.map((f) => `pub mod ${f};`), '', 'pub use sqlx::PgPool;']);
    let sqlLeft = s.sql;
    sqlFiles.forEach((f, i) => {
      const e = s.entities[i % s.entities.length];
      const n = Math.ceil(sqlLeft / (sqlFiles.length - i));
      sqlLeft -= n;
      const lines = ['use chrono::{DateTime, Utc};', 'use sqlx::{PgPool, Postgres, QueryBuilder};', 'use uuid::Uuid;', '', 'use crate::error::AppError;', ''];
      lines.push('#[derive(Debug, Clone, sqlx::FromRow)]', `pub struct ${e.type}Row {`, '    pub id: Uuid,');
      for (const [fname, ftype] of e.fields) lines.push(`    pub ${fname}: ${ftype},`);
      lines.push('    pub created_at: DateTime<Utc>,', '}', '');
      lines.push('#[derive(Debug, Default)]', `pub struct ${e.type}Filter {`, '    pub status: Option<String>,', '    pub after: Option<DateTime<Utc>>,', '    pub limit: i64,', '}', '');
      lines.push(`pub async fn load(pool: &PgPool, id: Uuid) -> Result<Option<${e.type}Row>, AppError> {`, `    Ok(sqlx::query_as::<_, ${e.type}Row>("SELECT * FROM ${e.table} WHERE id = $1").bind(id).fetch_optional(pool).await?)`, '}', '');
      lines.push(`pub async fn load_page(pool: &PgPool, owner: &str, size: i32) -> Result<Vec<${e.type}Row>, AppError> {`, `    Ok(sqlx::query_as::<_, ${e.type}Row>("SELECT * FROM ${e.table} WHERE owner_id::text = $1 LIMIT $2").bind(owner).bind(size as i64).fetch_all(pool).await?)`, '}', '');
      let count = 2;
      for (let k = 2; k < n; k++) {
        const site = sqlSite(ctx, s, services, 0.04);
        if (site.cross) crossAccesses++;
        lines.push(...site.lines);
        count++;
      }
      sqlInCode += count;
      lines.push(...testsModule(ctx, s, rng.chance(0.3)));
      paddable(`${s.dir}/src/db/${f}.rs`, lines, s, others);
    });

    if (hasDomain) {
      fixed(`${s.dir}/src/domain/mod.rs`, ['//! Domain types and rules.', '', ...domainFiles.map((f) => `pub mod ${f};`)]);
      for (const f of domainFiles) {
        const lines = prelude(false);
        if (rng.chance(0.15)) lines.push('// Note: the old implementation ran `SELECT * FROM users` here; removed in the split.', '');
        const withTests = rng.chance(0.4);
        const t = target();
        pad(ctx, lines, withTests ? t - 12 : t, s, others);
        if (withTests) lines.push(...testsModule(ctx, s, false));
        account(lines.length, params.linesPerFile);
        rust(`${s.dir}/src/domain/${f}.rs`, lines);
      }
    }

    if (orphan) {
      // An old copy never declared with `mod`: imports a client and runs SQL, but is not compiled.
      const t = others.length > 0 ? rng.pick(others) : s;
      const o = ['//! Old start-up code, superseded by main.rs. Not declared as a module.', '', `use grpc_clients::${t.grpc}Client;`, '', 'pub async fn start(pool: &sqlx::PgPool) -> anyhow::Result<()> {'];
      o.push(`    let _client = ${t.grpc}Client::connect("http://${t.crate}:50051").await?;`, `    sqlx::query("DELETE FROM ${t.entities[0].table} WHERE created_at < now() - interval '30 days'").execute(pool).await?;`, '    Ok(())', '}');
      fixed(`${s.dir}/src/startup.rs`, o);
    }

    const it = ['//! Integration tests: need a database (DATABASE_URL).', '', 'use test_utils::TestDb;', ''];
    it.push('#[tokio::test]', '#[ignore = "needs postgres"]', `async fn ${snake(s.name)}_round_trip() {`, '    let db = TestDb::new().await;');
    it.push(`    sqlx::query("INSERT INTO ${s.entities[0].table} (id, owner_id) VALUES (gen_random_uuid(), gen_random_uuid())")`, '        .execute(&db.pool)', '        .await', '        .unwrap();', '}');
    fixed(`${s.dir}/tests/integration.rs`, it);
  }

  // Libraries.
  for (const l of libraries) {
    const m = ['[package]', `name = "${l.pkg}"`, 'version.workspace = true', 'edition.workspace = true', 'license.workspace = true', 'publish = false', '', '[dependencies]'];
    const ext = ['serde', 'serde_json', 'thiserror', 'uuid', 'chrono', 'tracing', 'tokio', 'async-trait'];
    const special = { 'db-pool': ['sqlx'], proto: ['tonic', 'prost'], 'grpc-clients': ['tonic'], 'kafka-events': ['rdkafka'], 'http-client': ['reqwest'], cache: ['redis'], outbox: ['sqlx'], 'audit-log': ['sqlx'], health: ['sqlx'], 'test-utils': ['sqlx'] };
    const base = l.name.replace(/-\d+$/, '');
    for (const k of [...ext, ...(special[base] ?? [])]) m.push(`${k}.workspace = true`);
    for (const d of l.deps) {
      if (d.name === 'proto') m.push('proto = { package = "nova-proto", path = "../proto" }');
      else m.push(`${d.name} = { path = "../${d.name}" }`);
    }
    if (base === 'proto') m.push('', '[build-dependencies]', 'tonic-build.workspace = true');
    m.push('');
    put(`${l.dir}/Cargo.toml`, m.join('\n'));

    let budget = l.rsFiles - 1; // lib.rs
    if (base === 'proto') {
      fixed(`${l.dir}/build.rs`, [
        'fn main() -> Result<(), Box<dyn std::error::Error>> {',
        '    let protos: Vec<_> = std::fs::read_dir("../../proto/services")?',
        '        .filter_map(|e| e.ok().map(|e| e.path()))',
        '        .collect();',
        '    tonic_build::configure().build_server(true).build_client(true).compile_protos(&protos, &["../../proto"])?;',
        '    Ok(())',
        '}',
      ]);
      budget--;
    }
    const mods = [];
    for (let i = 0; i < budget; i++) mods.push(i === 0 && base === 'grpc-clients' ? 'pool' : `${rng.pick(NOUNS)}_${i}`);
    const lib = [`//! ${l.pkg}: shared ${base.replace(/-/g, ' ')} code.`, ''];
    for (const mod of mods) lib.push(`pub mod ${mod};`);
    lib.push('');
    if (base === 'proto') {
      for (const s of services) lib.push(`pub mod ${s.mod} {`, '    pub mod v1 {', `        tonic::include_proto!("${s.pkg}");`, '    }', '}');
    } else if (base === 'grpc-clients') {
      lib.push('// Clients of every service. Depending on this crate is not a dependency on every service.');
      for (const s of services) lib.push(`pub use proto::${s.mod}::v1::${s.mod}_client::${s.grpc}Client;`);
    } else if (base === 'test-utils') {
      lib.push('pub struct TestDb {', '    pub pool: sqlx::PgPool,', '}', '', 'impl TestDb {', '    pub async fn new() -> Self {', '        let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");', '        Self { pool: db_pool::connect(&url, 2).await.expect("connect") }', '    }', '}');
    } else if (l.index === 0) {
      lib.push('#[derive(Debug, thiserror::Error)]', 'pub enum AppError {', '    #[error("not found")]', '    NotFound,', '    #[error("invalid argument: {0}")]', '    InvalidArgument(String),', '    #[error("database error: {0}")]', '    Database(String),', '}');
    } else if (base === 'db-pool') {
      lib.push('use sqlx::postgres::{PgPool, PgPoolOptions};', '', 'pub async fn connect(url: &str, max: u32) -> Result<PgPool, sqlx::Error> {', '    PgPoolOptions::new().max_connections(max).connect(url).await', '}');
    }
    fixed(`${l.dir}/src/lib.rs`, lib);
    const pseudo = { name: l.name, entities: [{ name: 'outbox_event', table: 'outbox_events', type: 'OutboxEvent', fields: [['metadata', 'serde_json::Value', 'JSONB']] }] };
    let sqlLeft = l.sql;
    mods.forEach((mod, i) => {
      const lines = prelude(true);
      if (l.index === 0) lines[lines.indexOf('use error_types::AppError;')] = 'use crate::AppError;';
      if (base === 'grpc-clients' && mod === 'pool') {
        lines.push('use tonic::transport::Channel;', '', '/// One lazily connected channel per service.', '#[derive(Clone, Default)]', 'pub struct ClientPool {', '    channels: HashMap<String, Channel>,', '}', '', 'impl ClientPool {');
        for (const s of services.slice(0, 12)) lines.push(`    pub fn ${snake(s.name)}_client(&self) -> Option<crate::${s.grpc}Client<Channel>> {`, `        self.channels.get("${s.crate}").cloned().map(crate::${s.grpc}Client::new)`, '    }', '');
        lines.push('}', '');
      }
      const n = i === mods.length - 1 ? sqlLeft : Math.min(sqlLeft, 1 + Math.floor(l.sql / Math.max(1, mods.length)));
      if (n > 0) lines.push('use sqlx::PgPool;', '');
      for (let k = 0; k < n; k++) {
        lines.push(`pub async fn record_${ctx.id('e')}(pool: &PgPool, topic: &str, payload: &serde_json::Value) -> Result<(), sqlx::Error> {`);
        lines.push('    sqlx::query("INSERT INTO outbox_events (topic, payload) VALUES ($1, $2)")', '        .bind(topic)', '        .bind(payload)', '        .execute(pool)', '        .await?;', '    Ok(())', '}', '');
      }
      sqlLeft -= n;
      sqlInCode += n;
      paddable(`${l.dir}/src/${mod}.rs`, lines, pseudo, []);
    });
  }

  // Write: clear a previous generated tree (only one we generated), then write every file.
  const stats = { rsFiles: 0, rustLines: 0, manifests: 0, protoFiles: 0, sqlFiles: 0, files: 0, bytes: 0 };
  for (const [p, content] of files) {
    stats.files++;
    stats.bytes += Buffer.byteLength(content);
    if (p.endsWith('.rs')) {
      stats.rsFiles++;
      stats.rustLines += content.split('\n').length - 1;
    } else if (p.endsWith('Cargo.toml')) stats.manifests++;
    else if (p.endsWith('.proto')) stats.protoFiles++;
    else if (p.endsWith('.sql')) stats.sqlFiles++;
  }
  stats.sqlStatements = sqlInCode + sqlInMigrations;
  stats.sqlInCode = sqlInCode;
  stats.sqlInMigrations = sqlInMigrations;
  stats.crossServiceSqlSites = crossAccesses;
  const stamp = {
    generator: GENERATOR_VERSION,
    generatorHash: GENERATOR_HASH,
    params,
    stats,
    services: services.map((s) => s.crate),
    libraries: libraries.map((l) => l.pkg),
    serviceEdges: edges.map((e) => ({ ...e })),
    cycles,
  };
  writeTree(outDir, files, stamp);
  return stamp;
}

export function paramsFor(scale, overrides = {}) {
  return scaleParams(SCALES, scale, overrides);
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseGeneratorArgs(process.argv.slice(2), { '--services': 'services', '--libraries': 'libraries', '--files-per-crate': 'filesPerCrate', '--lines-per-file': 'linesPerFile', '--sql-per-file': 'sqlPerFile' });
    if (args.help) {
      process.stdout.write('usage: node scripts/bench/generate.mjs [--scale small|target|10x] [--seed N] [--out DIR] [--services N] [--libraries N] [--files-per-crate N] [--lines-per-file N] [--sql-per-file X]\n');
      process.exit(0);
    }
    const scale = args.scale ?? 'target';
    const params = paramsFor(scale, { seed: args.seed, services: args.services, libraries: args.libraries, filesPerCrate: args.filesPerCrate, linesPerFile: args.linesPerFile, sqlPerFile: args.sqlPerFile });
    for (const [k, v] of Object.entries(params)) if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: not a non-negative number`);
    const out = args.out ?? path.join('.bench', scale);
    const started = performance.now();
    const stamp = generate(params, out);
    const s = stamp.stats;
    process.stdout.write(
      `generated ${out}: ${s.files} files, ${s.rsFiles} .rs files, ${s.rustLines} Rust lines, ${s.manifests} manifests, ` +
        `${s.sqlStatements} SQL statements (${s.sqlInCode} in code, ${s.sqlInMigrations} in migrations), ${(s.bytes / 1048576).toFixed(1)} MB ` +
        `in ${Math.round(performance.now() - started)} ms\n`,
    );
  } catch (error) {
    process.stderr.write(`generate: ${error.message}\n`);
    process.exit(2);
  }
}
