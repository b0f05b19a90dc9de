#!/usr/bin/env node
// Runs the simulator alone: node dist/simulator/main.js --port 9100 [--host 0.0.0.0] [--client-id ..] [--token ..]
//   [--postback-url ..] [--pin 1234 --totp-secret BASE32] [--static-ip 203.0.113.7]
import { startDhanSimulator } from './sim-server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sim = await startDhanSimulator({
    port: Number(arg('port') ?? 9100),
    host: arg('host') ?? '127.0.0.1',
    clientId: arg('client-id') ?? process.env.DHAN_SIM_CLIENT_ID,
    accessToken: arg('token') ?? process.env.DHAN_SIM_ACCESS_TOKEN,
    postbackUrl: arg('postback-url'),
    orderRateLimitPerSecond: arg('rate-limit') ? Number(arg('rate-limit')) : undefined,
    pin: arg('pin') ?? process.env.DHAN_SIM_PIN,
    totpSecret: arg('totp-secret') ?? process.env.DHAN_SIM_TOTP_SECRET,
    staticIps: arg('static-ip') ? { primary: arg('static-ip') } : undefined,
  });
  process.stdout.write(
    `DhanHQ simulator: REST ${sim.url}  auth ${sim.authUrl}  order updates ${sim.wsUrl}  market feed ${sim.feedUrl}\n`,
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
