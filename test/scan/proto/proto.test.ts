import { describe, expect, it } from 'vitest';
import { scanProto } from '../../../src/scan/proto/proto.js';

describe('scanProto', () => {
  it('reads package, services and rpcs, ignoring comments, options and messages', () => {
    const proto = scanProto(
      'backend/proto/services/content_service.proto',
      [
        'syntax = "proto3";',
        '// service Fake { rpc Nope() }',
        'package nova.content_service.v1;',
        'option go_package = "service { rpc X }";',
        '/* service Hidden {',
        '   rpc Gone(A) returns (B); } */',
        'service ContentService {',
        '  rpc GetPost(GetPostRequest) returns (Post) { option (google.api.http) = { get: "/v1/posts/{id}" }; }',
        '  rpc GetPostsByIds(GetPostsByIdsRequest) returns (stream Post);',
        '}',
        'message Post { string id = 1; }',
        'service FeedAdmin { rpc Rebuild(Empty) returns (Empty); }',
      ].join('\n'),
    );
    expect(proto.package).toBe('nova.content_service.v1');
    expect(proto.services.map((s) => [s.fullName, s.location.line, s.rpcs.map((r) => r.name)])).toEqual([
      ['nova.content_service.v1.ContentService', 7, ['GetPost', 'GetPostsByIds']],
      ['nova.content_service.v1.FeedAdmin', 12, ['Rebuild']],
    ]);
    expect(proto.services[0]!.rpcs[0]!.location).toEqual({ file: 'backend/proto/services/content_service.proto', line: 8, column: 7, endLine: 8, endColumn: 14 });
    expect(proto.diagnostics).toEqual([]);
  });

  it('survives an unterminated service without throwing', () => {
    const proto = scanProto('x.proto', 'package a;\nservice S {\n  rpc R(A) returns (B);\n');
    expect(proto.services[0]!.rpcs.map((r) => r.name)).toEqual(['R']);
    expect(proto.diagnostics[0]!.code).toBe('proto-unbalanced');
  });
});
