import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import type { Finding } from '../../src/check/types.js';
import { ConfigError, resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/forbidden-dependency.js';
import { rules } from '../../rules/index.js';
import { cargoModelOf, crate, type FileMap } from '../helpers/repo.js';
import { proto, runOn } from '../helpers/rust-repo.js';

const RULE = 'forbidden-dependency';
const CONFIG = 'boundary.config.json';
/** `JSON.stringify(config, null, 2)` puts `"forbidden-dependency"` on line 3, column 5. */
const CONFIG_ENTRY = `${CONFIG}:3:5`;

const ws = (members: string[], extra = ''): FileMap => ({ 'Cargo.toml': `[workspace]\nmembers = ${JSON.stringify(members)}\n${extra}` });
/** A service under backend/: manifest (package on lines 1-4, `sections` from line 5) and main.rs. */
const svc = (name: string, sections = '', main = 'fn main() {}\n'): FileMap => ({
  [`backend/${name}/Cargo.toml`]: crate(name, sections),
  [`backend/${name}/src/main.rs`]: main,
});
const lib = (dir: string, name: string, sections = ''): FileMap => ({ [`${dir}/Cargo.toml`]: crate(name, sections), [`${dir}/src/lib.rs`]: '' });
const deps = (...lines: string[]): string => `[dependencies]\n${lines.join('\n')}\n`;

const crates: FileMap = {
  ...ws(['backend/*', 'backend/libs/*']),
  ...svc('content-service', deps('feed-service = { path = "../feed-service" }', 'db-pool = { path = "../libs/db-pool" }')),
  ...svc('feed-service', deps('db-pool = { path = "../libs/db-pool" }')),
  ...svc('user-service'),
  ...svc(
    'graphql-gateway',
    deps('user-service = { path = "../user-service" }', 'db-pool = { path = "../libs/db-pool" }', 'feed-service = { path = "../feed-service" }'),
  ),
  ...lib('backend/libs/db-pool', 'db-pool'),
};

const grpc: FileMap = {
  ...ws(['backend/*']),
  'proto/feed.proto': proto('nova.feed_service.v1', 'FeedService', ['UpdateFeeds']),
  ...svc(
    'feed-service',
    '',
    'use nova_proto::feed_service_server::{FeedService, FeedServiceServer};\nstruct H;\nimpl FeedService for H {}\nasync fn main() { Server::builder().add_service(FeedServiceServer::new(H)).serve(a).await; }\n',
  ),
  ...svc('content-service', '', 'async fn main() {\n    let mut client = FeedServiceClient::connect(url).await?;\n    client.update_feeds(req).await?;\n}\n'),
};

const http: FileMap = {
  ...ws(['backend/*']),
  ...svc('user-service'),
  ...svc('auth-service', deps('reqwest = "0.11"'), 'async fn main() {\n    reqwest::get("http://user-service:8080/v1/users").await;\n}\n'),
};

const imports: FileMap = {
  ...ws(['backend/*', 'backend/libs/*']),
  ...lib('backend/libs/db-pool', 'db-pool'),
  ...svc('feed-service', deps('db-pool = { path = "../libs/db-pool" }'), 'fn main() {\n    let pool = db_pool::connect();\n}\n'),
};

/** Folder-declared units of one package (config `units`): the model imports scanner types and one scanner value. */
const layers: FileMap = {
  'src/model/build.ts': "import type { Fact } from '../scan/facts.js';\nimport { split } from '../scan/split.js';\nexport type { Fact };\n",
  'src/scan/facts.ts': 'export interface Fact { name: string }\n',
  'src/scan/split.ts': 'export const split = (s: string): string[] => s.split(";");\n',
  'src/report/text.ts': "import type { View } from '../graph/view.js';\nexport const render = (v: View): string => v.name;\n",
  'src/graph/view.ts': 'export interface View { name: string }\n',
};
const layerUnits = ['model', 'scan', 'report', 'graph'].map((name) => ({ name, paths: [`src/${name}/**`], kind: 'library' }));

const gateway = (sections: string, extra = ''): FileMap => ({ ...ws(['backend/*'], extra), ...svc('graphql-gateway', sections) });

interface Expected {
  messageId: string;
  message: string;
  at: string;
  related: string[];
  suggestions: { title: string; applicability: string; edits: string[] }[];
}

interface Case {
  name: string;
  repo: FileMap;
  options: Record<string, unknown>;
  includeTests?: boolean;
  /** Config `units` (written after `rules`, so the rule entry stays on line 3). */
  units?: unknown[];
}

/** Compact, exact view of a finding: `file:line:col-endLine:endCol`, related and suggestion edits. */
function view(finding: Finding): Expected {
  const loc = finding.location;
  return {
    messageId: finding.messageId,
    message: finding.message,
    at: `${loc.file}:${loc.line}:${loc.column}-${loc.endLine ?? loc.line}:${loc.endColumn ?? loc.column}`,
    related: finding.related.map((r) => `${r.location.file}:${r.location.line}:${r.location.column} ${r.message}`),
    suggestions: finding.suggestions.map((s) => ({
      title: s.title,
      applicability: s.applicability,
      edits: s.edits.map((e) => `${e.file} ${e.range.startLine}:${e.range.startColumn}-${e.range.endLine}:${e.range.endColumn} ${JSON.stringify(e.text)}`),
    })),
  };
}

/** The whole pipeline on the repo, with the options written to boundary.config.json at its root. */
async function check(c: Case): Promise<Finding[]> {
  const config = JSON.stringify({ rules: { [RULE]: ['error', c.options] }, ...(c.units ? { units: c.units } : {}) }, null, 2);
  const result = await runOn({ ...c.repo, [CONFIG]: config }, { includeTests: c.includeTests ?? false });
  return result.findings.filter((f) => f.ruleId === RULE);
}

const because = 'content-service must publish content.post.created instead of calling feed-service';

const valid: Case[] = [
  { name: 'no options: nothing is forbidden', repo: crates, options: {} },
  { name: 'kinds filter: a grpc-only entry ignores the crate edge', repo: crates, options: { forbid: [{ from: 'content-service', to: 'feed-service', kinds: ['grpc'], because }] } },
  {
    name: 'direct edges only: a route through a library is not folded into the service',
    repo: {
      ...crates,
      ...svc('user-service', deps('feed-client = { path = "../libs/feed-client" }')),
      ...lib('backend/libs/feed-client', 'feed-client', deps('feed-service = { path = "../../feed-service" }')),
    },
    options: { forbid: [{ from: 'user-service', to: 'feed-service', because }] },
  },
  { name: 'allow-list: every edge of the gateway is listed', repo: crates, options: { allow: { 'graphql-gateway': ['*-service', 'backend/libs/*'] } } },
  { name: 'a dev-dependency is test scope: ignored without --include-tests', repo: { ...crates, ...svc('user-service', '[dev-dependencies]\nfeed-service = { path = "../feed-service" }\n') }, options: { forbid: [{ from: 'user-service', to: 'feed-service', because }] } },
  { name: 'a banned crate only in [dev-dependencies] is ignored without --include-tests', repo: gateway('[dev-dependencies]\nsqlx = "0.7"\n'), options: { bannedCrates: { 'graphql-gateway': ['sqlx'] } } },
  {
    name: 'allowTypeOnly: a pair with only type-only imports passes',
    repo: layers,
    units: layerUnits,
    options: { forbid: [{ from: 'report', to: 'graph', kinds: ['import'], allowTypeOnly: true, because: 'reporters render the view they are given' }] },
  },
  {
    name: 'folder units: an allow-list that lists every import target',
    repo: layers,
    units: layerUnits,
    options: { allow: { model: ['scan'], report: ['graph'], scan: [], graph: [] } },
  },
  { name: 'bannedCrates matches the package, not the key', repo: gateway(deps('sqlx = { package = "sqlx-mock", version = "1" }')), options: { bannedCrates: { 'graphql-gateway': ['sqlx'] } } },
];

const invalid: (Case & { findings: Expected[] })[] = [
  {
    name: 'forbid by name: a crate edge, at its manifest line, with a line-deleting suggestion',
    repo: crates,
    options: { forbid: [{ from: 'content-service', to: 'feed-service', because }] },
    findings: [{
      messageId: 'forbidden',
      message: `content-service must not depend on feed-service (crate): ${because}`,
      at: 'backend/content-service/Cargo.toml:6:1-6:13',
      related: [`${CONFIG_ENTRY} forbidden by forbid[0] (content-service → feed-service): ${because}`],
      suggestions: [{
        title: 'Remove the feed-service dependency from backend/content-service/Cargo.toml',
        applicability: 'unsafe',
        edits: ['backend/content-service/Cargo.toml 6:1-7:1 ""'],
      }],
    }],
  },
  {
    name: 'forbid by path glob, with a library as `to`',
    repo: crates,
    options: { forbid: [{ from: 'backend/*-service', to: 'backend/libs/*', because: 'services reach the database through their own pool' }] },
    findings: ['content-service', 'feed-service'].map((from) => ({
      messageId: 'forbidden',
      message: `${from} must not depend on db-pool (crate): services reach the database through their own pool`,
      at: `backend/${from}/Cargo.toml:${from === 'content-service' ? 7 : 6}:1-${from === 'content-service' ? 7 : 6}:8`,
      related: [`${CONFIG_ENTRY} forbidden by forbid[0] (backend/*-service → backend/libs/*): services reach the database through their own pool`],
      suggestions: [{
        title: `Remove the db-pool dependency from backend/${from}/Cargo.toml`,
        applicability: 'unsafe',
        edits: [`backend/${from}/Cargo.toml ${from === 'content-service' ? '7:1-8:1' : '6:1-7:1'} ""`],
      }],
    })),
  },
  {
    name: 'gRPC: points at the call, the client as related, `because` in the message and a display-only suggestion',
    repo: grpc,
    options: { forbid: [{ from: 'content-service', to: 'feed-service', kinds: ['grpc', 'http'], because }] },
    findings: [{
      messageId: 'forbidden',
      message: `content-service must not depend on feed-service (grpc): ${because}`,
      at: 'backend/content-service/src/main.rs:3:12-3:24',
      related: [
        'backend/content-service/src/main.rs:2:22 content-service → feed-service (grpc): client',
        `${CONFIG_ENTRY} forbidden by forbid[0] (content-service → feed-service): ${because}`,
      ],
      suggestions: [{ title: `${because}: replace the gRPC call at backend/content-service/src/main.rs:3:12`, applicability: 'display-only', edits: [] }],
    }],
  },
  {
    name: 'HTTP: points at the request',
    repo: http,
    options: { forbid: [{ from: 'auth-service', to: 'user-service', because: 'auth-service reads users through identity-service' }] },
    findings: [{
      messageId: 'forbidden',
      message: 'auth-service must not depend on user-service (http): auth-service reads users through identity-service',
      at: 'backend/auth-service/src/main.rs:2:5-2:17',
      related: [
        'backend/auth-service/src/main.rs:2:18 auth-service → user-service (http): target',
        `${CONFIG_ENTRY} forbidden by forbid[0] (auth-service → user-service): auth-service reads users through identity-service`,
      ],
      suggestions: [{
        title: 'auth-service reads users through identity-service: replace the HTTP request at backend/auth-service/src/main.rs:2:5',
        applicability: 'display-only',
        edits: [],
      }],
    }],
  },
  {
    name: 'kinds filter: an import-only entry reports the import, not the crate edge',
    repo: imports,
    options: { forbid: [{ from: 'feed-service', to: 'db-pool', kinds: ['import'], because: 'use the repository trait' }] },
    findings: [{
      messageId: 'forbidden',
      message: 'feed-service must not depend on db-pool (import): use the repository trait',
      at: 'backend/feed-service/src/main.rs:2:16-2:32',
      related: [`${CONFIG_ENTRY} forbidden by forbid[0] (feed-service → db-pool): use the repository trait`],
      suggestions: [{ title: 'use the repository trait: replace the import at backend/feed-service/src/main.rs:2:16', applicability: 'display-only', edits: [] }],
    }],
  },
  {
    name: 'folder units: a forbidden import points at the first value import; type-only imports of the pair are related',
    repo: layers,
    units: layerUnits,
    options: { forbid: [{ from: 'model', to: 'scan', because: 'the model runs no scanner' }] },
    findings: [{
      messageId: 'forbidden',
      message: 'model must not depend on scan (import): the model runs no scanner',
      at: 'src/model/build.ts:2:23-2:41',
      related: [
        'src/model/build.ts:1:27 model → scan (import): import',
        `${CONFIG_ENTRY} forbidden by forbid[0] (model → scan): the model runs no scanner`,
      ],
      suggestions: [{ title: 'the model runs no scanner: replace the import at src/model/build.ts:2:23', applicability: 'display-only', edits: [] }],
    }],
  },
  {
    name: 'allowTypeOnly: only the value import is reported, without the type-only evidence',
    repo: layers,
    units: layerUnits,
    options: {
      forbid: [
        { from: 'model', to: 'scan', kinds: ['import'], allowTypeOnly: true, because: 'the model reads scanner facts with import type only' },
        { from: 'report', to: 'graph', kinds: ['import'], allowTypeOnly: true, because: 'reporters render the view they are given' },
      ],
    },
    findings: [{
      messageId: 'forbidden',
      message: 'model must not depend on scan (import): the model reads scanner facts with import type only',
      at: 'src/model/build.ts:2:23-2:41',
      related: [`${CONFIG_ENTRY} forbidden by forbid[0] (model → scan): the model reads scanner facts with import type only`],
      suggestions: [{ title: 'the model reads scanner facts with import type only: replace the import at src/model/build.ts:2:23', applicability: 'display-only', edits: [] }],
    }],
  },
  {
    name: 'allowTypeOnly exempts type-only imports from its entry only: the allow-list still applies to them',
    repo: layers,
    units: layerUnits,
    options: {
      forbid: [{ from: 'report', to: 'graph', kinds: ['import'], allowTypeOnly: true, because: 'reporters render the view they are given' }],
      allow: { report: ['model'] },
    },
    findings: [{
      messageId: 'notAllowed',
      message: 'report depends on graph (import), which is not in its allow-list (model)',
      at: 'src/report/text.ts:1:27-1:45',
      related: [`${CONFIG_ENTRY} allow["report"]: report may depend only on model`],
      suggestions: [{
        title: 'report may depend only on model: replace the import at src/report/text.ts:1:27, or add graph to allow["report"]',
        applicability: 'display-only',
        edits: [],
      }],
    }],
  },
  {
    name: 'a workspace-inherited crate edge: the [workspace.dependencies] entry is related, only the member line is deleted',
    repo: {
      ...ws(['backend/*'], '\n[workspace.dependencies]\nfeed-service = { path = "backend/feed-service" }\n'),
      ...svc('feed-service'),
      ...svc('content-service', deps('feed-service.workspace = true')),
    },
    options: { forbid: [{ from: 'content-service', to: 'feed-service', because }] },
    findings: [{
      messageId: 'forbidden',
      message: `content-service must not depend on feed-service (crate): ${because}`,
      at: 'backend/content-service/Cargo.toml:6:1-6:23',
      related: [
        'Cargo.toml:5:1 content-service → feed-service (crate): inherited from [workspace.dependencies]',
        `${CONFIG_ENTRY} forbidden by forbid[0] (content-service → feed-service): ${because}`,
      ],
      suggestions: [{
        title: 'Remove the feed-service dependency from backend/content-service/Cargo.toml',
        applicability: 'unsafe',
        edits: ['backend/content-service/Cargo.toml 6:1-7:1 ""'],
      }],
    }],
  },
  {
    name: 'allow-list: a listed edge (by name and by path glob) passes, another is reported',
    repo: crates,
    options: { allow: { 'graphql-gateway': ['user-service', 'backend/libs/*'] } },
    findings: [{
      messageId: 'notAllowed',
      message: 'graphql-gateway depends on feed-service (crate), which is not in its allow-list (user-service, backend/libs/*)',
      at: 'backend/graphql-gateway/Cargo.toml:8:1-8:13',
      related: [`${CONFIG_ENTRY} allow["graphql-gateway"]: graphql-gateway may depend only on user-service, backend/libs/*`],
      suggestions: [{
        title: 'Remove the feed-service dependency from backend/graphql-gateway/Cargo.toml',
        applicability: 'unsafe',
        edits: ['backend/graphql-gateway/Cargo.toml 8:1-9:1 ""'],
      }],
    }],
  },
  {
    name: 'allow-list: a gRPC call outside the list gets a display-only suggestion',
    repo: grpc,
    options: { allow: { 'content-service': [] } },
    findings: [{
      messageId: 'notAllowed',
      message: 'content-service depends on feed-service (grpc), which is not in its allow-list (nothing)',
      at: 'backend/content-service/src/main.rs:3:12-3:24',
      related: [
        'backend/content-service/src/main.rs:2:22 content-service → feed-service (grpc): client',
        `${CONFIG_ENTRY} allow["content-service"]: content-service may depend only on nothing`,
      ],
      suggestions: [{
        title: 'content-service may depend only on nothing: replace the gRPC call at backend/content-service/src/main.rs:3:12, or add feed-service to allow["content-service"]',
        applicability: 'display-only',
        edits: [],
      }],
    }],
  },
  {
    name: 'forbid wins over the allow-list: one finding per edge',
    repo: crates,
    options: { forbid: [{ from: 'graphql-gateway', to: 'feed-service', because: 'the gateway calls feed-service over gRPC' }], allow: { 'graphql-gateway': ['user-service'] } },
    findings: [
      {
        messageId: 'notAllowed',
        message: 'graphql-gateway depends on db-pool (crate), which is not in its allow-list (user-service)',
        at: 'backend/graphql-gateway/Cargo.toml:7:1-7:8',
        related: [`${CONFIG_ENTRY} allow["graphql-gateway"]: graphql-gateway may depend only on user-service`],
        suggestions: [{ title: 'Remove the db-pool dependency from backend/graphql-gateway/Cargo.toml', applicability: 'unsafe', edits: ['backend/graphql-gateway/Cargo.toml 7:1-8:1 ""'] }],
      },
      {
        messageId: 'forbidden',
        message: 'graphql-gateway must not depend on feed-service (crate): the gateway calls feed-service over gRPC',
        at: 'backend/graphql-gateway/Cargo.toml:8:1-8:13',
        related: [`${CONFIG_ENTRY} forbidden by forbid[0] (graphql-gateway → feed-service): the gateway calls feed-service over gRPC`],
        suggestions: [{ title: 'Remove the feed-service dependency from backend/graphql-gateway/Cargo.toml', applicability: 'unsafe', edits: ['backend/graphql-gateway/Cargo.toml 8:1-9:1 ""'] }],
      },
    ],
  },
  {
    name: 'test scope: a dev-dependency is reported with --include-tests',
    repo: { ...crates, ...svc('user-service', '[dev-dependencies]\nfeed-service = { path = "../feed-service" }\n') },
    options: { forbid: [{ from: 'user-service', to: 'feed-service', because: 'tests use the feed-service mock' }] },
    includeTests: true,
    findings: [{
      messageId: 'forbidden',
      message: 'user-service must not depend on feed-service (crate-dev): tests use the feed-service mock',
      at: 'backend/user-service/Cargo.toml:6:1-6:13',
      related: [`${CONFIG_ENTRY} forbidden by forbid[0] (user-service → feed-service): tests use the feed-service mock`],
      suggestions: [{ title: 'Remove the feed-service dependency from backend/user-service/Cargo.toml', applicability: 'unsafe', edits: ['backend/user-service/Cargo.toml 6:1-7:1 ""'] }],
    }],
  },
  {
    name: 'bannedCrates: a renamed dependency is found by its package name',
    repo: gateway(deps('async-trait = "0.1"', 'db = { package = "sqlx", version = "0.7" }')),
    options: { bannedCrates: { 'backend/graphql-*': ['sqlx'] } },
    findings: [{
      messageId: 'bannedCrate',
      message: 'graphql-gateway must not depend on the crate sqlx (declared as db): it is banned for units matching "backend/graphql-*"',
      at: 'backend/graphql-gateway/Cargo.toml:7:1-7:3',
      related: [`${CONFIG_ENTRY} bannedCrates["backend/graphql-*"] bans sqlx`],
      suggestions: [{ title: 'Remove db from backend/graphql-gateway/Cargo.toml', applicability: 'unsafe', edits: ['backend/graphql-gateway/Cargo.toml 7:1-8:1 ""'] }],
    }],
  },
  {
    name: 'bannedCrates: workspace-inherited, declared twice: one finding, only the member lines deleted',
    repo: gateway('[dependencies]\nsqlx.workspace = true\n\n[build-dependencies]\nsqlx.workspace = true\n', '\n[workspace.dependencies]\nsqlx = { version = "0.7" }\n'),
    options: { bannedCrates: { 'graphql-gateway': ['sqlx', 'diesel*'] } },
    findings: [{
      messageId: 'bannedCrate',
      message: 'graphql-gateway must not depend on the crate sqlx: it is banned for units matching "graphql-gateway"',
      at: 'backend/graphql-gateway/Cargo.toml:6:1-6:15',
      related: [
        'backend/graphql-gateway/Cargo.toml:9:1 graphql-gateway → sqlx (crate-build): declared here',
        `${CONFIG_ENTRY} bannedCrates["graphql-gateway"] bans sqlx`,
      ],
      suggestions: [{
        title: 'Remove sqlx from backend/graphql-gateway/Cargo.toml',
        applicability: 'unsafe',
        edits: ['backend/graphql-gateway/Cargo.toml 6:1-7:1 ""', 'backend/graphql-gateway/Cargo.toml 9:1-10:1 ""'],
      }],
    }],
  },
  {
    name: 'bannedCrates: an inline table spanning lines is deleted through its last line',
    repo: gateway(deps('sqlx = { version = "0.7", features = [', '  "postgres",', '  "runtime-tokio",', '] }', 'serde = "1"')),
    options: { bannedCrates: { 'graphql-gateway': ['sqlx'] } },
    findings: [{
      messageId: 'bannedCrate',
      message: 'graphql-gateway must not depend on the crate sqlx: it is banned for units matching "graphql-gateway"',
      at: 'backend/graphql-gateway/Cargo.toml:6:1-6:5',
      related: [`${CONFIG_ENTRY} bannedCrates["graphql-gateway"] bans sqlx`],
      suggestions: [{ title: 'Remove sqlx from backend/graphql-gateway/Cargo.toml', applicability: 'unsafe', edits: ['backend/graphql-gateway/Cargo.toml 6:1-10:1 ""'] }],
    }],
  },
  {
    name: 'bannedCrates on an npm package: named a package, and the removal is shown, not applied (a JSON line cannot be deleted safely without its comma)',
    repo: {
      'package.json': '{ "name": "root", "private": true, "workspaces": ["apps/*"] }\n',
      'apps/gw/package.json': '{\n  "name": "gw",\n  "scripts": { "start": "node index.js" },\n  "dependencies": {\n    "fastify": "^4.0.0",\n    "pg": "^8.11.0"\n  }\n}\n',
      'apps/gw/index.js': 'console.log(1);\n',
    },
    options: { bannedCrates: { gw: ['pg'] } },
    findings: [{
      messageId: 'bannedCrate',
      message: 'gw must not depend on the package pg: it is banned for units matching "gw"',
      at: 'apps/gw/package.json:6:5-6:9',
      related: [`${CONFIG_ENTRY} bannedCrates["gw"] bans pg`],
      suggestions: [{ title: 'Remove "pg" from the dependencies of apps/gw/package.json', applicability: 'display-only', edits: [] }],
    }],
  },
  {
    name: 'bannedCrates: a [dependencies.x] table is not deleted line by line',
    repo: gateway('[dependencies.sqlx]\nversion = "0.7"\n'),
    options: { bannedCrates: { 'graphql-gateway': ['sqlx'] } },
    findings: [{
      messageId: 'bannedCrate',
      message: 'graphql-gateway must not depend on the crate sqlx: it is banned for units matching "graphql-gateway"',
      at: 'backend/graphql-gateway/Cargo.toml:5:1-5:20',
      related: [`${CONFIG_ENTRY} bannedCrates["graphql-gateway"] bans sqlx`],
      suggestions: [{
        title: 'Remove sqlx from backend/graphql-gateway/Cargo.toml (it is written as a table of its own: delete that table)',
        applicability: 'display-only',
        edits: [],
      }],
    }],
  },
  {
    name: 'bannedCrates: a dev-dependency with --include-tests',
    repo: gateway('[dev-dependencies]\nsqlx = "0.7"\n'),
    options: { bannedCrates: { 'graphql-gateway': ['sqlx'] } },
    includeTests: true,
    findings: [{
      messageId: 'bannedCrate',
      message: 'graphql-gateway must not depend on the crate sqlx: it is banned for units matching "graphql-gateway"',
      at: 'backend/graphql-gateway/Cargo.toml:6:1-6:5',
      related: [`${CONFIG_ENTRY} bannedCrates["graphql-gateway"] bans sqlx`],
      suggestions: [{ title: 'Remove sqlx from backend/graphql-gateway/Cargo.toml', applicability: 'unsafe', edits: ['backend/graphql-gateway/Cargo.toml 6:1-7:1 ""'] }],
    }],
  },
];

describe(RULE, () => {
  describe('valid', () => {
    for (const c of valid) {
      it(c.name, async () => {
        expect((await check(c)).map(view)).toEqual([]);
      });
    }
  });

  describe('invalid', () => {
    for (const c of invalid) {
      it(c.name, async () => {
        expect((await check(c)).map(view)).toEqual(c.findings);
      });
    }
  });

  it('has unique case names', () => {
    const names = [...valid, ...invalid].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps fingerprints when lines move, and they differ per edge kind', async () => {
    const options = { forbid: [{ from: 'feed-service', to: 'db-pool', because: 'use the repository trait' }] };
    const before = await check({ name: 'before', repo: imports, options });
    const shifted = { ...imports, 'backend/feed-service/Cargo.toml': crate('feed-service', `# moved\n\n${deps('db-pool = { path = "../libs/db-pool" }')}`) };
    const after = await check({ name: 'after', repo: shifted, options });
    expect(before.map((f) => [f.data.kind, f.location.line])).toEqual([['crate', 6], ['import', 2]]);
    expect(after.map((f) => [f.data.kind, f.location.line])).toEqual([['crate', 8], ['import', 2]]);
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('has no config location when the engine is given none (config outside the analysed root)', () => {
    const settings = resolveConfig({ rules: { [RULE]: ['error', { forbid: [{ from: 'content-service', to: 'feed-service', because }] }] } }, rules).rules;
    const [finding, ...rest] = runRules(cargoModelOf(crates), [rule], settings, { includeTests: false });
    expect(rest).toEqual([]);
    expect(finding!.related).toEqual([]);
    expect(finding!.location).toMatchObject({ file: 'backend/content-service/Cargo.toml', line: 6 });
  });

  describe('options validation', () => {
    const problems = (options: unknown): { path: string; message: string }[] => {
      try {
        resolveConfig({ rules: { [RULE]: ['error', options] } }, rules);
      } catch (error) {
        if (error instanceof ConfigError) return [...error.problems];
        throw error;
      }
      return [];
    };

    it.each([
      {
        name: 'forbid entry without because',
        options: { forbid: [{ from: 'content-service', to: 'feed-service' }] },
        expected: [{ path: 'rules.forbidden-dependency[1].forbid[0].because', message: 'missing; this key is required, allowed: a non-empty string' }],
      },
      {
        name: 'unknown edge kind, with a hint',
        options: { forbid: [{ from: 'a', to: 'b', kinds: ['grcp'], because: 'x' }] },
        expected: [{
          path: 'rules.forbidden-dependency[1].forbid[0].kinds[0]',
          message: 'found "grcp"; allowed: one of "crate", "crate-dev", "crate-build", "package", "package-dev", "import", "grpc", "http", "event" (did you mean "grpc"?)',
        }],
      },
      {
        name: 'allow-list that is a string instead of a list',
        options: { allow: { 'graphql-gateway': 'user-service' } },
        expected: [{ path: 'rules.forbidden-dependency[1].allow.graphql-gateway', message: 'found "user-service" (string); allowed: an array of a non-empty string' }],
      },
      {
        name: 'allowTypeOnly that is not a boolean',
        options: { forbid: [{ from: 'a', to: 'b', allowTypeOnly: 'yes', because: 'x' }] },
        expected: [{ path: 'rules.forbidden-dependency[1].forbid[0].allowTypeOnly', message: 'found "yes" (string); allowed: boolean' }],
      },
      {
        name: 'misspelt option key',
        options: { bannedCrate: { gateway: ['sqlx'] } },
        expected: [{
          path: 'rules.forbidden-dependency[1].bannedCrate',
          message: 'unknown key "bannedCrate"; did you mean "bannedCrates"? Allowed keys: forbid, allow, bannedCrates',
        }],
      },
    ])('$name', ({ options, expected }) => {
      expect(problems(options)).toEqual(expected);
    });

    it('fails the run with a config error (exit 2) naming the key path', async () => {
      const files = { ...crates, [CONFIG]: JSON.stringify({ rules: { [RULE]: ['error', { forbid: [{ from: 'a', to: 'b' }] }] } }) };
      await expect(runOn(files)).rejects.toThrowError(/rules\.forbidden-dependency\[1\]\.forbid\[0\]\.because: missing/);
    });
  });
});
