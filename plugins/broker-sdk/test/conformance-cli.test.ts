// npx algodatta-broker-conformance <plugin folder>: the suite against a plugin from outside, with its own harness.
// Runs the built SDK (dist/), as an author's project would: `npm run build` first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../bin/algodatta-broker-conformance.js');
const EXAMPLE = path.resolve(__dirname, '../../../examples/broker-example');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('the conformance command', () => {
  it('should pass the example plugin, finding its harness through package.json', () => {
    const result = run(EXAMPLE);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/✓ BC-O01 market buy fills in full/);
    expect(output).toMatch(/✓ BC-W01 parseWebhook names the order of its postback/);
    expect(output).toMatch(/skipped BC-F01 .*has\.fillsOnPlacement is not declared/);
    expect(result.status).toBe(0);
  }, 120_000);

  it('should fail when the plugin breaks a card, naming the card', () => {
    const result = run(EXAMPLE, '--harness', path.join(__dirname, 'fixtures/lost-orders.harness.js'));
    expect(result.stdout + result.stderr).toMatch(/✕ BC-O01 market buy fills in full/);
    expect(result.status).toBe(1);
  }, 120_000);

  it('should say where it looked when there is no harness', () => {
    const result = run(__dirname);
    expect(result.stderr).toMatch(/no harness at .*conformance\.harness\.js/);
    expect(result.status).toBe(2);
  });
});
