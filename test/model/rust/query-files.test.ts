import { describe, expect, it } from 'vitest';
import { readNamedQueries } from '../../../src/model/sql/named-queries.js';
import { runOn, service, workspace } from '../../helpers/rust-repo.js';
import { crate } from '../../helpers/repo.js';

const QUERIES = '--! get_job : (payload?)\nSELECT id, payload FROM jobs WHERE queue = :queue;\n\n--! complete_job\nUPDATE jobs SET state = \'done\' WHERE id = :id;\n';

describe('generated query files (cornucopia)', () => {
  it('reads --! annotated blocks with their line in the file', () => {
    expect(readNamedQueries({ file: 'db/queries/jobs.sql', text: QUERIES }).map((q) => [q.module, q.name, q.location.line])).toEqual([
      ['jobs', 'get_job', 2],
      ['jobs', 'complete_job', 5],
    ]);
  });

  it('credits a query to the unit calling the generated function, at its line in the .sql file', async () => {
    const result = await runOn({
      ...workspace(['worker-service', 'db']),
      'db/Cargo.toml': crate('db', '[dependencies]\ntokio-postgres = "0.7"\n'),
      'db/src/lib.rs': 'pub mod queries;\n',
      'db/src/queries.rs': '',
      'db/queries/jobs.sql': QUERIES,
      ...service(
        'worker-service',
        'use db::queries::jobs::complete_job;\nasync fn run(client: &Client) {\n    let job = db::queries::jobs::get_job().bind(client, &"q").one().await;\n    complete_job().bind(client, &job.id).await;\n}\n',
        '[dependencies]\ndb = { path = "../db" }\ntokio-postgres = "0.7"\n',
      ),
    });
    expect(result.model.tableAccesses.map((a) => `${a.unit} ${a.op} ${a.table} ${a.location.file}:${a.location.line}`)).toEqual([
      'worker-service read jobs db/queries/jobs.sql:2',
      'worker-service write jobs db/queries/jobs.sql:5',
    ]);
  });
});
