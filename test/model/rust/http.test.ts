import { describe, expect, it } from 'vitest';
import type { FileMap } from '../../helpers/repo.js';
import { at, manifest, row, rustModelOf, workspace } from './rust-model.js';

const REQWEST = '[dependencies]\nreqwest = "0.11"\n';

/** A workspace with user-service (the usual target), identity-service and one caller whose main.rs is `source`. */
function repo(source: string, extra: FileMap = {}, callerDeps = REQWEST): FileMap {
  return {
    'Cargo.toml': workspace(['svc/*', 'libs/*']),
    'svc/user-service/Cargo.toml': manifest('user-service', REQWEST),
    'svc/user-service/src/main.rs': 'fn main() {}\n',
    'svc/identity-service/Cargo.toml': manifest('identity-service'),
    'svc/identity-service/src/main.rs': 'fn main() {}\n',
    'svc/auth-service/Cargo.toml': manifest('auth-service', callerDeps),
    'svc/auth-service/src/main.rs': source,
    ...extra,
  };
}

const MAIN = 'svc/auth-service/src/main.rs';

function httpEdges(files: FileMap, aliases: Record<string, string> = {}) {
  const model = rustModelOf(files, { aliases });
  return {
    edges: model.edges.filter((e) => e.kind === 'http').map(row),
    diagnostics: model.diagnostics.filter((d) => d.code.startsWith('http')).map((d) => ({ code: d.code, severity: d.severity, at: at(d.location!), message: d.message })),
  };
}

describe('resolveHttpEdges: what names the target', () => {
  it.each([
    {
      name: 'an env var read into a let, used through a format! capture',
      source: [
        'async fn fetch(client: &reqwest::Client, id: u64) {',
        '    let base = std::env::var("USER_SERVICE_URL").unwrap_or_else(|_| "http://user-service:8080".to_string());',
        '    client.get(format!("{base}/v1/users/{id}")).send().await;',
        '}',
      ],
      endpoint: 'USER_SERVICE_URL',
      evidence: [`${MAIN}:3:12`, `${MAIN}:2:30`],
    },
    {
      name: 'a config field',
      source: [
        'struct Handler { config: Config }',
        'impl Handler {',
        '    async fn fetch(&self, id: u64) {',
        '        self.client.post(format!("{}/v1/users/{}", self.config.user_service_url, id)).send().await;',
        '    }',
        '}',
      ],
      endpoint: 'user_service_url',
      evidence: [`${MAIN}:4:21`],
    },
    {
      name: 'a URL literal (free function reqwest::get)',
      source: ['async fn fetch() {', '    reqwest::get("http://user-service:8080/v1/users").await;', '}'],
      endpoint: 'user-service',
      evidence: [`${MAIN}:2:5`, `${MAIN}:2:18`],
    },
    {
      name: 'a format!-built URL in a let, from a config field',
      source: [
        'async fn fetch(client: &reqwest::Client, cfg: &Config, id: u64) {',
        '    let url = format!("{}/v1/users/{}", cfg.user_service_url, id);',
        '    client.get(&url).send().await;',
        '}',
      ],
      endpoint: 'user_service_url',
      evidence: [`${MAIN}:3:12`],
    },
    {
      name: 'a const holding the URL',
      source: [
        'const USERS: &str = "https://user-service.nova.svc.cluster.local";',
        'async fn fetch(client: &reqwest::Client) {',
        '    client.delete(USERS).send().await;',
        '}',
      ],
      endpoint: 'user-service.nova.svc.cluster.local',
      evidence: [`${MAIN}:3:12`, `${MAIN}:1:21`],
    },
  ])('$name', ({ source, endpoint, evidence }) => {
    const { edges, diagnostics } = httpEdges(repo(source.join('\n') + '\n'));
    expect(edges).toEqual([{ from: 'auth-service', to: 'user-service', kind: 'http', scope: 'prod', usage: 'called', endpoint, evidence }]);
    expect(diagnostics).toEqual([]);
  });

  it('an alias from the config', () => {
    const source = 'async fn check(client: &reqwest::Client) {\n    let base = std::env::var("IDENTITY_URL").unwrap();\n    client.get(format!("{base}/health")).send().await;\n}\n';
    expect(httpEdges(repo(source), { identity: 'identity-service' }).edges).toEqual([
      { from: 'auth-service', to: 'identity-service', kind: 'http', scope: 'prod', usage: 'called', endpoint: 'IDENTITY_URL', evidence: [`${MAIN}:3:12`, `${MAIN}:2:30`] },
    ]);
    // Without the alias the name identifies nothing, and does not look like a service's: silent.
    expect(httpEdges(repo(source))).toEqual({ edges: [], diagnostics: [] });
  });
});

describe('resolveHttpEdges: client crates', () => {
  it.each([
    { deps: '[dependencies]\nureq = "2"\n', call: 'ureq::post("http://user-service/v1").call();', column: 5 },
    { deps: '[dependencies]\nsurf = "2"\n', call: 'surf::get("http://user-service/v1").await;', column: 5 },
    { deps: '[dependencies]\nhyper = "1"\n', call: 'hyper::Request::get("http://user-service/v1").body(());', column: 5 },
    { deps: '[dependencies]\nhyper = "1"\n', call: 'hyper::Request::builder().method("GET").uri("http://user-service/v1").body(());', column: 45 },
    { deps: '[dependencies]\nreqwest-middleware = "0.3"\n', call: 'client.put("http://user-service/v1").send().await;', column: 12 },
  ])('$deps', ({ deps, call, column }) => {
    const { edges } = httpEdges(repo(`async fn f(client: &Client) {\n    ${call}\n}\n`, {}, deps));
    expect(edges.map((e) => [e.to, e.endpoint, (e.evidence as string[])[0]])).toEqual([['user-service', 'user-service', `${MAIN}:2:${column}`]]);
  });
});

describe('resolveHttpEdges: what is not an edge', () => {
  it.each([
    {
      name: 'a config struct listing URLs',
      source: [
        'pub struct ClientConfig { pub user_service_url: String, pub identity_service_url: String }',
        'fn env_or(key: &str, default: &str) -> String { std::env::var(key).unwrap_or_else(|_| default.to_string()) }',
        'impl ClientConfig {',
        '    pub fn from_env() -> Self {',
        '        Self { user_service_url: env_or("USER_SERVICE_URL", "http://user-service:8080"), identity_service_url: env_or("IDENTITY_SERVICE_URL", "http://identity-service") }',
        '    }',
        '}',
      ],
    },
    {
      name: 'HashMap::get and other map lookups',
      source: [
        'use std::collections::HashMap;',
        'fn lookup(key: &str, headers: &http::HeaderMap) {',
        '    let urls: HashMap<String, String> = HashMap::new();',
        '    let a = urls.get(&key);',
        '    let b = urls.get("USER_SERVICE_URL");',
        '    let c = HashMap::get(&urls, "user_service_url");',
        '    let d = headers.get("x-user-service-url");',
        '    let e = std::env::vars().collect::<HashMap<_, _>>().get("USER_SERVICE_URL");',
        '}',
      ],
    },
    {
      name: 'a comment naming a service',
      source: ['// reqwest::get("http://user-service:8080") via USER_SERVICE_URL', '/* client.get(user_service_url) */', 'fn main() {}'],
    },
    {
      name: 'an env var read for something else (CORS origin, e-mail links)',
      source: [
        'fn cors(client: &reqwest::Client) {',
        '    let origin = std::env::var("USER_SERVICE_URL").unwrap();',
        '    let link = format!("{origin}/reset?token=1");',
        '    send_mail(&link);',
        '}',
      ],
    },
    {
      name: 'a request to the caller itself',
      source: ['async fn me(client: &reqwest::Client) {', '    client.get(format!("{}/health", std::env::var("AUTH_SERVICE_URL").unwrap())).send().await;', '}'],
    },
    {
      name: 'localhost and a path-only URL',
      source: ['async fn local(client: &reqwest::Client) {', '    client.get("http://localhost:8080/health").send().await;', '    client.get("/v1/users").send().await;', '}'],
    },
  ])('$name', ({ source }) => {
    expect(httpEdges(repo(source.join('\n') + '\n'))).toEqual({ edges: [], diagnostics: [] });
  });

  it('a bare service name is a target, unless it is how the unit names a crate it depends on', () => {
    const field = 'async fn f(&self, client: &reqwest::Client) {\n    client.get(format!("{}/x", self.user_service.base_url)).send().await;\n}\n';
    expect(httpEdges(repo(field)).edges.map((e) => [e.to, e.endpoint])).toEqual([['user-service', 'user_service']]);
    const path = 'fn f(cache: &Cache, id: u64) {\n    cache.get(&user_service::cache_key(id));\n}\n';
    expect(httpEdges(repo(path, {}, REQWEST + 'user-service = { path = "../user-service" }\n')).edges).toEqual([]);
  });

  it('a unit without an HTTP client crate makes no requests with .get()', () => {
    const source = 'fn f(client: &Thing) {\n    client.get(std::env::var("USER_SERVICE_URL").unwrap());\n}\n';
    expect(httpEdges(repo(source, {}, '')).edges).toEqual([]);
    expect(httpEdges(repo(source)).edges).toHaveLength(1);
  });
});

describe('resolveHttpEdges: scope, libraries, unknown targets', () => {
  it('a request in test code is a test-scope edge', () => {
    const source = [
      'fn main() {}',
      '#[cfg(test)]',
      'mod tests {',
      '    #[test]',
      '    fn health() {',
      '        reqwest::blocking::get("http://user-service/health").unwrap();',
      '    }',
      '}',
    ].join('\n');
    expect(httpEdges(repo(source)).edges).toEqual([
      { from: 'auth-service', to: 'user-service', kind: 'http', scope: 'test', usage: 'called', endpoint: 'user-service', evidence: [`${MAIN}:6:9`, `${MAIN}:6:32`] },
    ]);
  });

  it('a request inside a library function is credited to the service that calls it', () => {
    const LIB = 'libs/backends/src/lib.rs';
    const files = repo(
      [
        'async fn login(id: u64) {',
        '    backends::fetch_user(id).await;',
        '    backends::get_json(&std::env::var("IDENTITY_SERVICE_URL").unwrap()).await;',
        '}',
      ].join('\n'),
      {
        'libs/backends/Cargo.toml': manifest('backends', REQWEST),
        [LIB]: [
          'pub async fn fetch_user(id: u64) {',
          '    let base = std::env::var("USER_SERVICE_URL").unwrap();',
          '    reqwest::get(format!("{base}/users/{id}")).await;',
          '}',
          '/// The address is the caller\'s.',
          'pub async fn get_json(url: &str) {',
          '    reqwest::get(url).await;',
          '}',
          'pub async fn unused_by_anyone(url: &str) {',
          '    reqwest::get(url).await;',
          '}',
        ].join('\n'),
      },
      '[dependencies]\nbackends = { path = "../../libs/backends" }\n',
    );
    expect(httpEdges(files)).toEqual({
      edges: [
        {
          from: 'auth-service',
          to: 'identity-service',
          kind: 'http',
          scope: 'prod',
          usage: 'called',
          endpoint: 'IDENTITY_SERVICE_URL',
          via: ['backends::get_json'],
          evidence: [`${MAIN}:3:5`, `${LIB}:7:5`, `${MAIN}:3:39`],
        },
        {
          from: 'auth-service',
          to: 'user-service',
          kind: 'http',
          scope: 'prod',
          usage: 'called',
          endpoint: 'USER_SERVICE_URL',
          via: ['backends::fetch_user'],
          evidence: [`${MAIN}:2:5`, `${LIB}:3:5`, `${LIB}:2:30`],
        },
        // The library itself originates no edge: its request belongs to its callers.
      ],
      diagnostics: [],
    });
  });

  it('a service-like name that matches no unit is an info diagnostic, once per call', () => {
    const source = [
      'async fn pay(client: &reqwest::Client) {',
      '    let base = std::env::var("PAYMENT_SERVICE_URL").unwrap_or_else(|_| "http://payment-service".into());',
      '    client.post(format!("{base}/charge")).send().await;',
      '}',
    ].join('\n');
    expect(httpEdges(repo(source))).toEqual({
      edges: [],
      diagnostics: [
        {
          code: 'http-target-unknown',
          severity: 'info',
          at: `${MAIN}:3:12`,
          message: 'HTTP request to `PAYMENT_SERVICE_URL`, which names no unit (add an `aliases` entry in the config if it is one); no edge',
        },
      ],
    });
  });
});
