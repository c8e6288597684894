/**
 * `--fix-suggestions` on nova-before: every rule with findings there suggests something concrete
 * in the repository's own terms (RPCs of its protos, its topics, its manifest lines), and the
 * suggestions come out in JSON, SARIF (`fixes`, only for suggestions with edits) and text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../../src/check/types.js';
import { rules } from '../../rules/index.js';
import { runCli } from '../helpers/cli.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = path.join(repoRoot, 'fixtures', 'repos', 'nova-before');

/** The fixture's own config plus forbidden-dependency entries (the fixture configures none), written outside it. */
function gateConfig(): string {
  const config = JSON.parse(readFileSync(path.join(root, 'boundary.config.json'), 'utf8')) as { rules: Record<string, unknown> };
  config.rules['forbidden-dependency'] = [
    'error',
    {
      forbid: [{ from: 'feed-service', to: 'content-service', kinds: ['grpc'], because: 'feed-service reads posts from content.events' }],
      bannedCrates: { 'backend/search-service': ['sqlx'] },
    },
  ];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'boundary-fix-')), 'boundary.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

interface JsonFinding {
  ruleId: string;
  messageId: string;
  message: string;
  data: Record<string, string | number>;
  suggestions: Suggestion[];
}

const config = gateConfig();
const lint = (...args: string[]) => runCli([root, '--no-cache', '--fix-suggestions', '-c', config, ...args], { cwd: repoRoot });
const json = JSON.parse((await lint('--format', 'json')).stdout) as { findings: JsonFinding[] };
const findings = json.findings;

function finding(ruleId: string, predicate: (f: JsonFinding) => boolean): JsonFinding {
  const found = findings.find((f) => f.ruleId === ruleId && predicate(f));
  if (!found) throw new Error(`no ${ruleId} finding matches`);
  return found;
}

const titles = (f: JsonFinding): string[] => f.suggestions.map((s) => s.title);

describe('--fix-suggestions on nova-before', () => {
  it('gives every finding of a rule whose meta.fix is "always" a suggestion, and every rule with findings at least one', () => {
    const withFindings = new Set(findings.map((f) => f.ruleId));
    expect([...withFindings].sort()).toEqual(['ambiguous-ownership', 'forbidden-dependency', 'no-cross-service-db', 'no-cycles', 'unowned-table']);
    for (const ruleId of withFindings) expect(findings.some((f) => f.ruleId === ruleId && f.suggestions.length > 0), ruleId).toBe(true);
    for (const rule of rules.filter((r) => r.meta.fix === 'always')) {
      for (const f of findings.filter((x) => x.ruleId === rule.id)) expect(f.suggestions.length, f.message).toBeGreaterThan(0);
    }
    for (const rule of rules.filter((r) => r.meta.fix === 'none')) expect(findings.filter((f) => f.ruleId === rule.id && f.suggestions.length > 0)).toEqual([]);
  });

  it('cross-service read: the RPC of the owner proto that returns the entity, with its client type', () => {
    const read = finding('no-cross-service-db', (f) => f.data.service === 'auth-service' && f.data.table === 'users' && f.messageId === 'read');
    expect(titles(read)[0]).toBe(
      "Read users through user-service's API instead: call GetUser of nova.user_service.v1.UserService with UserServiceClient (backend/proto/services/user_service.proto:6:7)",
    );
    // user-service publishes nova.user.events: a local read model is the other way.
    expect(titles(read)[1]).toBe('Or keep a local read model of users in auth-service: consume `nova.user.events`, which user-service publishes');
    const posts = finding('no-cross-service-db', (f) => f.data.service === 'feed-service' && f.data.table === 'posts');
    expect(titles(posts)[0]).toContain('call GetPost of nova.content_service.v1.ContentService with ContentServiceClient');
  });

  it('cross-service read with no fitting RPC: the RPC to add to the proto the owner serves', () => {
    const follows = finding('no-cross-service-db', (f) => f.data.service === 'content-service' && f.data.table === 'follows');
    expect(titles(follows)[0]).toBe(
      'nova.user_service.v1.UserService (user-service) has no RPC that returns follows: add `rpc GetFollowsByIds(GetFollowsByIdsRequest) returns (GetFollowsByIdsResponse);` to service UserService in backend/proto/services/user_service.proto and call it with UserServiceClient',
    );
  });

  it('cross-service write: the mutation RPC of the owner (UpdateLastLogin for `SET last_login_at`)', () => {
    const write = finding('no-cross-service-db', (f) => f.data.service === 'auth-service' && f.data.table === 'users' && f.messageId === 'write');
    expect(titles(write)).toEqual([
      'Let user-service write users: call UpdateLastLogin of nova.user_service.v1.UserService with UserServiceClient (backend/proto/services/user_service.proto:7:7) instead of the statement',
    ]);
    const notifications = finding('no-cross-service-db', (f) => f.data.table === 'notifications');
    expect(titles(notifications)[0]).toContain('call SendNotification of nova.notification_service.v1.NotificationService with NotificationServiceClient');
  });

  it('cycle: cuts the edge with the fewest call sites and names them', () => {
    const contentFeed = finding('no-cycles', (f) => f.data.path === 'content-service → feed-service → content-service');
    // Both hops have one RPC call; the tie goes to the first hop of the message.
    expect(titles(contentFeed)).toEqual([
      'Cut content-service → feed-service (grpc FeedService), the edge of this cycle with the fewest call sites (1): backend/content-service/src/service.rs:25:14; replace the call with an event content-service publishes and feed-service consumes (no topic links them yet)',
    ]);
    // messaging → notification has an RPC call and an import (2 sites); the HTTP request back (1) is cut,
    // and notification.events, which messaging-service already consumes, replaces it.
    const messaging = finding('no-cycles', (f) => f.data.path === 'messaging-service → notification-service → messaging-service');
    expect(titles(messaging)).toEqual([
      'Cut notification-service → messaging-service (http MESSAGING_SERVICE_URL), the edge of this cycle with the fewest call sites (1): backend/notification-service/src/store.rs:16:5; publish to `notification.events` instead, which messaging-service already consumes from notification-service',
    ]);
    const declared = finding('no-cycles', (f) => f.messageId === 'declaredCycle');
    expect(titles(declared)[0]).toContain('Cut user-service → auth-service (grpc AuthService declared only)');
    expect(titles(declared)[0]).toContain('remove the client built at backend/user-service/src/server.rs:12:25');
  });

  it('ownership: the claim to keep, and the config entry to add for an unowned table', () => {
    const ambiguous = finding('ambiguous-ownership', (f) => f.data.table === 'device_tokens');
    expect(titles(ambiguous)).toHaveLength(2);
    expect(titles(ambiguous)[0]).toMatch(/^Keep notification-service's claim .*add `"device_tokens": "notification-service"` to "tables" in /);
    const unowned = finding('unowned-table', (f) => f.data.table === 'schema_history');
    expect(titles(unowned)[0]).toContain('add `"schema_history": "<owning service>"` to "tables"');
  });

  it('forbidden dependency: the banned crate as a SARIF fix deleting its manifest line, and the same as a diff in text', async () => {
    const banned = finding('forbidden-dependency', (f) => f.messageId === 'bannedCrate');
    expect(banned.suggestions).toEqual([
      {
        title: 'Remove sqlx from backend/search-service/Cargo.toml',
        applicability: 'unsafe',
        edits: [{ file: 'backend/search-service/Cargo.toml', range: { startLine: 11, startColumn: 1, endLine: 12, endColumn: 1 }, text: '' }],
      },
    ]);
    const grpc = finding('forbidden-dependency', (f) => f.messageId === 'forbidden');
    expect(titles(grpc)).toEqual(['feed-service reads posts from content.events: replace the gRPC call at backend/feed-service/src/handlers.rs:42:28']);

    const log = JSON.parse((await lint('--format', 'sarif')).stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    const results = log.runs[0]!.results!;
    const fixed = results.filter((r) => r.fixes);
    // Only suggestions with edits become SARIF fixes: display-only ones are text for people.
    expect(fixed.map((r) => r.ruleId)).toEqual(['forbidden-dependency']);
    expect(fixed[0]!.fixes).toEqual([
      {
        description: { text: 'Remove sqlx from backend/search-service/Cargo.toml' },
        artifactChanges: [{
          artifactLocation: { uri: 'backend/search-service/Cargo.toml', uriBaseId: '%SRCROOT%' },
          replacements: [{ deletedRegion: { startLine: 11, startColumn: 1, endLine: 12, endColumn: 1 }, insertedContent: { text: '' } }],
        }],
        properties: { applicability: 'unsafe' },
      },
    ]);

    const text = (await lint('--no-color')).stdout;
    expect(text).toContain('= help: Remove sqlx from backend/search-service/Cargo.toml');
    expect(text).toContain('-sqlx.workspace = true');
    expect(text).toContain('= help: Read users through user-service\'s API instead: call GetUser of nova.user_service.v1.UserService with UserServiceClient');
    // Without the flag, no help lines.
    const plain = (await runCli([root, '--no-cache', '-c', config, '--no-color'], { cwd: repoRoot })).stdout;
    expect(plain).not.toContain('= help:');
  });
});
