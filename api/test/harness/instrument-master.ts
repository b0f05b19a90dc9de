import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FIXTURE = path.resolve(__dirname, '../fixtures/dhan/api-scrip-master-sample.csv');

// The fixture DhanHQ master with every contract's expiry moved to 2099, so paper strategies on futures
// (NIFTY, lot 75; NATURALGAS, CRUDEOIL on MCX) resolve whatever the date of the run. Returns the file's path,
// for BROKER_DHAN_INSTRUMENTS_SOURCE.
export function futureDatedMaster(): string {
  const csv = readFileSync(FIXTURE, 'utf8').replace(/,2026-(\d\d-\d\d \d\d:\d\d:\d\d),/g, ',2099-$1,');
  const file = path.join(tmpdir(), `algodatta-master-2099-${process.pid}.csv`);
  writeFileSync(file, csv);
  return file;
}
