import { describe, expect, it } from 'vitest';
import { scanRustFile } from '../../../src/scan/rust/facts.js';

const scan = (text: string) => scanRustFile('src/lib.rs', text);

describe('scanRustFile: use trees', () => {
  it('flattens nested trees with renames and globs, with the leaf location', () => {
    const facts = scan('use grpc_clients::{pool::{GrpcPool, Config as PoolConfig}, *};\nuse ::db_pool;\n');
    expect(facts.uses.map((u) => [u.segments.join('::'), u.alias ?? '', u.glob])).toEqual([
      ['grpc_clients::pool::GrpcPool', '', false],
      ['grpc_clients::pool::Config', 'PoolConfig', false],
      ['grpc_clients', '', true],
      ['::db_pool', '', false],
    ]);
    expect(facts.uses[0]!.location).toMatchObject({ line: 1, column: 5 });
  });

  it('reads extern crate with a rename', () => {
    const facts = scan('extern crate nova_proto as proto;\n');
    expect(facts.uses).toEqual([expect.objectContaining({ segments: ['nova_proto'], alias: 'proto' })]);
  });
});

describe('scanRustFile: modules and test scope', () => {
  it('records mod declarations with #[path], #[cfg(test)] and inline parents', () => {
    const facts = scan(
      [
        'mod handlers;',
        '#[path = "legacy/old.rs"]',
        'mod old;',
        '#[cfg(test)]',
        'mod helpers;',
        'pub mod clients {',
        '    pub(crate) mod feed;',
        '}',
        '#[cfg(not(test))]',
        'mod live;',
      ].join('\n'),
    );
    expect(facts.mods.map((m) => [m.name, m.pathAttribute ?? '', m.inlineParents.join('/'), m.test])).toEqual([
      ['handlers', '', '', false],
      ['old', 'legacy/old.rs', '', false],
      ['helpers', '', '', true],
      ['feed', '', 'clients', false],
      ['live', '', '', false],
    ]);
  });

  it('marks facts inside #[cfg(test)] modules and #[test]/#[tokio::test] functions as test', () => {
    const facts = scan(
      [
        'fn live() { db_pool::connect(); }',
        '#[cfg(test)]',
        'mod tests {',
        '    use test_utils::fixtures;',
        '    #[test] fn a() { feed::x(); }',
        '}',
        '#[tokio::test]',
        'async fn b() { content::y(); }',
        'fn after() { user::z(); }',
      ].join('\n'),
    );
    expect(facts.paths.map((p) => [p.segments[0], p.test])).toEqual([
      ['db_pool', false],
      ['feed', true],
      ['content', true],
      ['user', false],
    ]);
    expect(facts.uses[0]!.test).toBe(true);
  });

  it('treats #![cfg(test)] at the top as a test file', () => {
    expect(scan('#![cfg(test)]\nuse a::b;\n').fileIsTest).toBe(true);
    expect(scan('#![allow(dead_code)]\nuse a::b;\n').fileIsTest).toBe(false);
  });
});

describe('scanRustFile: expressions', () => {
  it('reads method-call receivers backwards through awaits, ? and accessor calls', () => {
    const facts = scan('async fn f(&self) { self.pool.feed_client().await?.get_feed(req).await; client.clone().update_feeds(id); }');
    expect(facts.methodCalls.map((c) => [c.name, c.receiver.join(' ')])).toEqual([
      ['feed_client', 'self pool'],
      ['get_feed', 'self pool feed_client() await ?'],
      ['clone', 'client'],
      ['update_feeds', 'client clone()'],
    ]);
  });

  it('reads qualified paths with turbofish, calls and first-argument summaries', () => {
    const facts = scan('fn f() { let c = FeedServiceClient::<Channel>::connect(format!("{}/x", cfg.feed_service_url)); }');
    expect(facts.paths).toHaveLength(1);
    expect(facts.paths[0]).toMatchObject({ segments: ['FeedServiceClient', 'connect'], call: true });
    expect(facts.paths[0]!.args!.idents).toEqual(['format', 'cfg', 'feed_service_url']);
    expect(facts.paths[0]!.args!.strings.map((s) => s.value)).toEqual(['{}/x']);
    expect(facts.lets).toEqual([expect.objectContaining({ name: 'c', fn: 0 })]);
  });

  it('ignores crate names in comments, strings and quote! templates', () => {
    const facts = scan('// feed_service::call()\nfn f() { let s = "content_service::x()"; quote! { ::other_crate::x() }; }\n');
    expect(facts.paths).toEqual([]);
    expect(facts.macros).toEqual([]);
  });

  it('records macros with their argument strings', () => {
    const facts = scan('fn f() { sqlx::query!(r#"SELECT * FROM users WHERE id = $1"#, id); }');
    expect(facts.macros.map((m) => [m.segments.join('::'), m.args.strings.map((s) => s.value)])).toEqual([
      ['sqlx::query', ['SELECT * FROM users WHERE id = $1']],
    ]);
  });
});

describe('scanRustFile: items', () => {
  it('reads impls with their trait path, fns with return types, fields and consts', () => {
    const facts = scan(
      [
        'const TOPIC: &str = "nova.user.events";',
        'static QUERY: &str = concat!("SELECT 1", " FROM x");',
        'pub struct Clients { feed: FeedServiceClient<Channel>, pub(crate) name: String }',
        'impl<T: Send> feed_service_server::FeedService for FeedHandler<T> {',
        '    async fn get_feed(&self) -> Result<Response<Feed>, Status> { todo!() }',
        '}',
        'impl Clients { pub fn feed_client(&self) -> FeedServiceClient<Channel> { self.feed.clone() } }',
      ].join('\n'),
    );
    expect(facts.consts.map((c) => [c.name, c.value])).toEqual([
      ['TOPIC', 'nova.user.events'],
      ['QUERY', 'SELECT 1 FROM x'],
    ]);
    expect(facts.fields.map((f) => [f.struct, f.name, f.typeIdents.join(',')])).toEqual([
      ['Clients', 'feed', 'FeedServiceClient,Channel'],
      ['Clients', 'name', 'String'],
    ]);
    expect(facts.impls.map((i) => [i.traitPath?.join('::') ?? '', i.typeName])).toEqual([
      ['feed_service_server::FeedService', 'FeedHandler'],
      ['', 'Clients'],
    ]);
    expect(facts.fns.map((f) => [f.name, f.implType, f.returnIdents.join(',')])).toEqual([
      ['get_feed', 'FeedHandler', 'Result,Response,Feed,Status'],
      ['feed_client', 'Clients', 'FeedServiceClient,Channel'],
    ]);
    expect(facts.structs.map((s) => s.name)).toEqual(['Clients']);
  });

  it('names the implemented type, not a bound of its where clause (which may hold `for<..>`)', () => {
    const facts = scanRustFile(
      'src/lib.rs',
      [
        'impl<AC> CollabStorageImpl<AC> where AC: Access + Send { fn a(&self) {} }',
        'impl<AC> CollabStorage for CollabStorageImpl<AC>',
        'where',
        '    AC: Access,',
        '{ fn b(&self) {} }',
        "impl<F> Runner<F> where F: for<'a> Fn(&'a str) { fn c(&self) {} }",
        '',
      ].join('\n'),
    );
    expect(facts.impls.map((i) => [i.typeName, i.traitPath])).toEqual([
      ['CollabStorageImpl', undefined],
      ['CollabStorageImpl', ['CollabStorage']],
      ['Runner', undefined],
    ]);
    expect(facts.fns.map((f) => `${f.implType}::${f.name}`)).toEqual(['CollabStorageImpl::a', 'CollabStorageImpl::b', 'Runner::c']);
  });

  it('records module-level type aliases, and still reads their paths; associated types are no aliases', () => {
    const facts = scanRustFile(
      'src/lib.rs',
      [
        'pub type CollabAccessControlStorage = CollabStorageImpl<CollabStorageAccessControlImpl>;',
        'type Pool = database::PgPool;',
        'impl Iterator for Rows { type Item = Row; fn next(&mut self) -> Option<Row> { None } }',
        'trait Store { type Error; }',
        '',
      ].join('\n'),
    );
    expect(facts.typeAliases.map((a) => [a.name, a.typeIdents])).toEqual([
      ['CollabAccessControlStorage', ['CollabStorageImpl', 'CollabStorageAccessControlImpl']],
      ['Pool', ['database', 'PgPool']],
    ]);
    expect(facts.paths.map((p) => p.segments.join('::'))).toContain('database::PgPool');
  });

  it('names every item right across many distinct identifiers, raw ones included', () => {
    // More distinct names than the identifier pool holds before it starts over.
    const count = 40_000;
    const text = Array.from({ length: count }, (_, i) => `fn f${i}(a${i}: T${i}) -> r#R${i} {}`).join('\n');
    const facts = scan(text);
    expect(facts.fns).toHaveLength(count);
    for (const i of [0, 1, 32_767, 32_768, 32_769, count - 1]) {
      const fn = facts.fns[i]!;
      expect([fn.name, fn.paramIdents.join(','), fn.returnIdents.join(',')]).toEqual([`f${i}`, `a${i},T${i}`, `R${i}`]);
    }
    expect(scan('fn self_check() { r#match::go(); }').paths[0]!.segments).toEqual(['match', 'go']);
  });

  it('survives unbalanced and unterminated input without throwing', () => {
    expect(() => scan('fn f( { let x = "unterminated; mod m { ')).not.toThrow();
    expect(scan('}}} fn ok() { a::b(); }').paths.map((p) => p.segments.join('::'))).toEqual(['a::b']);
  });
});

describe('scanRustFile: paths in type positions', () => {
  it('records crate paths in parameter, return, let and field types', () => {
    const facts = scan(
      'struct S { e: event_schema::Envelope }\nfn f(e: event_schema::Envelope) -> tonic::Result<()> { let x: db_pool::Pool = make(); }\n',
    );
    expect(facts.paths.map((p) => `${p.segments.join('::')}@${p.location.line}:${p.location.column}`)).toEqual([
      'event_schema::Envelope@1:15',
      'event_schema::Envelope@2:9',
      'tonic::Result@2:36',
      'db_pool::Pool@2:63',
    ]);
  });
});

describe('scanRustFile: string-building expressions', () => {
  const exprOf = (code: string) => {
    const facts = scan(`fn f() { sink(${code}); }`);
    const call = facts.calls.find((c) => c.name === 'sink')!;
    return call.args.expressions!()[0];
  };
  const shape = (e: unknown): unknown => JSON.parse(JSON.stringify(e, (k, v) => (k === 'location' ? undefined : v)));

  it('reads literals, raw strings, concat!, include_str! and consts', () => {
    expect(shape(exprOf('r#"SELECT * FROM "users""#'))).toEqual({ kind: 'literal', value: 'SELECT * FROM "users"' });
    expect(shape(exprOf('concat!("SELECT 1", " FROM t")'))).toEqual({ kind: 'concat', parts: [{ kind: 'literal', value: 'SELECT 1' }, { kind: 'literal', value: ' FROM t' }] });
    expect(shape(exprOf('include_str!("../migrations/001.sql")'))).toEqual({ kind: 'include', path: '../migrations/001.sql' });
    expect(shape(exprOf('&queries::GET_USER'))).toEqual({ kind: 'ref', segments: ['queries', 'GET_USER'] });
  });

  it('reads through comments between and after arguments, as the compiler does', () => {
    expect(shape(exprOf('r#"SELECT 1 FROM t"# // only documents\n'))).toEqual({ kind: 'literal', value: 'SELECT 1 FROM t' });
    expect(shape(exprOf('concat!("SELECT 1", /* the table */ " FROM t" /// doc-like\n)'))).toEqual({
      kind: 'concat',
      parts: [{ kind: 'literal', value: 'SELECT 1' }, { kind: 'literal', value: ' FROM t' }],
    });
    const facts = scan('fn f() {\n  let oids = sqlx::query!(\n    r#"select oid from af_collab"# // atm. documents only\n  )\n  .fetch_all(executor); // trailing\n}\n');
    const query = facts.macros.find((m) => m.name === 'query')!;
    expect(shape(query.args.expressions!())).toEqual([{ kind: 'literal', value: 'select oid from af_collab' }]);
    expect(facts.methodCalls.map((c) => [c.name, c.receiver])).toEqual([['fetch_all', ['(..)']]]);
  });

  it('reads format! with positional, named and captured arguments', () => {
    expect(shape(exprOf('&format!("SELECT * FROM {} WHERE id = $1 AND {col} = 1", TABLE, col = name)'))).toEqual({
      kind: 'format',
      template: { kind: 'literal', value: 'SELECT * FROM {} WHERE id = $1 AND {col} = 1' },
      args: [{ kind: 'ref', segments: ['TABLE'] }],
      named: { col: { kind: 'ref', segments: ['name'] } },
    });
  });

  it('reads templates filled by .replace, String::from and + concatenation', () => {
    expect(shape(exprOf('TEMPLATE.replace("{table}", &table).as_str()'))).toEqual({
      kind: 'replace',
      base: { kind: 'ref', segments: ['TEMPLATE'] },
      from: { kind: 'literal', value: '{table}' },
      to: { kind: 'ref', segments: ['table'] },
    });
    expect(shape(exprOf('String::from("UPDATE t SET ") + &cols'))).toEqual({
      kind: 'concat',
      parts: [{ kind: 'literal', value: 'UPDATE t SET ' }, { kind: 'ref', segments: ['cols'] }],
    });
    expect(shape(exprOf('build_sql(x)'))).toEqual({ kind: 'unknown', text: 'build_sql(x)' });
  });
});
