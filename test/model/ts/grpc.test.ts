import { describe, expect, it } from 'vitest';
import { diagnosticLines, edgeLines, runRepo, workspace } from './helpers.js';

const PROTO = 'syntax = "proto3";\npackage nova.worker.v1;\nservice JobService {\n  rpc EnqueueJob (Req) returns (Res);\n  rpc GetJob (Req) returns (Res);\n}\n';

describe('TypeScript gRPC edges', () => {
  it('proto-loader: addService serves, a client is declared, calling an RPC (lowerCamel) is called', async () => {
    const result = await runRepo(
      workspace({
        'proto/worker.proto': PROTO,
        'packages/worker/src/main.ts': [
          "import * as grpc from '@grpc/grpc-js';",
          "import * as loader from '@grpc/proto-loader';",
          "const proto = grpc.loadPackageDefinition(loader.loadSync('worker.proto')) as any;",
          'const server = new grpc.Server();',
          'server.addService(proto.nova.worker.v1.JobService.service, {});',
          '',
        ].join('\n'),
        'packages/api/src/main.ts': [
          "import * as grpc from '@grpc/grpc-js';",
          "const proto = grpc.loadPackageDefinition({}) as any;",
          "const jobs = new proto.nova.worker.v1.JobService('worker:50051', grpc.credentials.createInsecure());",
          'jobs.enqueueJob({}, () => {});',
          'jobs.waitForReady(0, () => {});',
          '',
        ].join('\n'),
      }),
    );
    expect(result.model.units.find((u) => u.name === '@x/worker')?.serves).toEqual(['nova.worker.v1.JobService']);
    expect(result.model.grpcServices[0]?.servedBy).toEqual(['@x/worker']);
    expect(edgeLines(result)).toEqual(['@x/api -> @x/worker grpc prod called nova.worker.v1.JobService @api/src/main.ts:3:14,api/src/main.ts:4:1']);
    expect(result.model.edges.find((e) => e.kind === 'grpc')?.calls).toEqual([expect.objectContaining({ line: 4, column: 1 })]);
  });

  it('generated clients (new XClient) and Connect createClient without an RPC call are declared; an unserved service is a warning', async () => {
    const result = await runRepo(
      workspace({
        'proto/worker.proto': PROTO,
        'proto/billing.proto': 'syntax = "proto3";\npackage nova.billing.v1;\nservice BillingService {\n  rpc Charge (Req) returns (Res);\n}\n',
        'packages/worker/src/main.ts': "import { Server } from '@grpc/grpc-js';\nimport { JobServiceService } from './gen/worker.js';\nconst server = new Server();\nserver.addService(JobServiceService, {});\n",
        'packages/worker/src/gen/worker.ts': 'export const JobServiceService = {};\n',
        'packages/api/src/main.ts': [
          "import { JobServiceClient } from './gen/worker_grpc_pb.js';",
          "import { createClient } from '@connectrpc/connect';",
          "import { BillingService } from './gen/billing_connect.js';",
          "const jobs = new JobServiceClient('worker:50051', null);",
          'const billing = createClient(BillingService, transport);',
          'declare const transport: unknown;',
          '',
        ].join('\n'),
      }),
    );
    expect(edgeLines(result)).toEqual(['@x/api -> @x/worker grpc prod declared nova.worker.v1.JobService @api/src/main.ts:4:14']);
    expect(diagnosticLines(result, ['grpc-service-not-served'])).toEqual(['grpc-service-not-served @api/src/main.ts:5:17']);
  });
  it('Connect servers: router.service(X, impl) on a ConnectRouter serves X; a look-alike .service() does not', async () => {
    const result = await runRepo(
      workspace({
        'proto/worker.proto': PROTO,
        'packages/worker/src/routes.ts': [
          "import type { ConnectRouter } from '@connectrpc/connect';",
          "import { JobService } from './gen/worker_pb.js';",
          'export default (router: ConnectRouter) => router.service(JobService, { async enqueueJob() { return {}; } });',
          '',
        ].join('\n'),
        'packages/worker/src/gen/worker_pb.ts': 'export const JobService = {};\n',
        'packages/api/src/main.ts': [
          "import { createClient } from '@connectrpc/connect';",
          "import { JobService } from './gen/worker_pb.js';",
          'declare const transport: unknown;',
          'const jobs = createClient(JobService, transport);',
          'await jobs.enqueueJob({});',
          '',
        ].join('\n'),
        'packages/db/src/registry.ts': [
          "import { JobService } from './gen/worker_pb.js';",
          'const registry = { service(_s: unknown, _impl: unknown) {} };',
          'registry.service(JobService, {});',
          '',
        ].join('\n'),
      }),
    );
    expect(result.model.units.find((u) => u.name === '@x/worker')?.serves).toEqual(['nova.worker.v1.JobService']);
    expect(result.model.units.find((u) => u.name === '@x/db')?.serves).toBeUndefined();
    expect(diagnosticLines(result, ['grpc-service-not-served'])).toEqual([]);
    expect(edgeLines(result)).toEqual([expect.stringMatching(/^@x\/api -> @x\/worker grpc prod called nova\.worker\.v1\.JobService @/)]);
  });
  it('a Rust client of a service a TypeScript unit serves is a grpc edge across the languages', async () => {
    const result = await runRepo(
      workspace({
        'proto/worker.proto': PROTO,
        'packages/worker/src/main.ts': "import { Server } from '@grpc/grpc-js';\nimport { JobServiceService } from './gen/worker.js';\nconst server = new Server();\nserver.addService(JobServiceService, {});\n",
        'Cargo.toml': '[workspace]\nmembers = ["services/*"]\n',
        'services/scheduler/Cargo.toml': '[package]\nname = "scheduler"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntonic = "0.12"\n',
        'services/scheduler/src/main.rs': [
          'mod proto {',
          '    tonic::include_proto!("nova.worker.v1");',
          '}',
          'use proto::job_service_client::JobServiceClient;',
          '',
          '#[tokio::main]',
          'async fn main() -> Result<(), Box<dyn std::error::Error>> {',
          '    let mut jobs = JobServiceClient::connect("http://worker:50051").await?;',
          '    jobs.enqueue_job(proto::Req {}).await?;',
          '    Ok(())',
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(diagnosticLines(result, ['grpc-service-not-served'])).toEqual([]);
    expect(edgeLines(result, ['grpc'])).toEqual([expect.stringMatching(/^scheduler -> @x\/worker grpc prod called nova\.worker\.v1\.JobService @/)]);
  });
});
