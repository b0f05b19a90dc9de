// A loopback TCP proxy in front of PostgreSQL that counts the statements clients send (wire protocol:
// 'Q' simple queries, 'E' executes of the extended protocol) and groups them by their SQL's first words.
// Used to count database round trips per alert: point the api's DATABASE_URL at the proxy.
'use strict';

const net = require('node:net');

const STATEMENT = /^\s*(\w+)(?:\s+\w+)?/; // "insert into", "select ...", "update ...", "BEGIN"

function normalize(sql) {
  let text = sql.replace(/\s+/g, ' ').trim();
  // A leading /* tag */ (e.g. the notification dispatcher's reads) names whose statement it is: "select executions [notifications]"
  const tag = text.match(/^\/\*\s*([\w-]+)\s*\*\/\s*/);
  if (tag) text = text.slice(tag[0].length);
  const kind = kindOf(text);
  return tag ? `${kind} [${tag[1]}]` : kind;
}

function kindOf(text) {
  // The cluster connection's LISTEN/NOTIFY traffic (presence pings, events for other processes): one kind of its own
  if (/\bpg_notify\(/i.test(text)) return 'notify';
  const table = text.match(/\b(?:into|from|update)\s+"?(\w+)"?/i);
  const verb = (text.match(STATEMENT)?.[1] ?? '?').toLowerCase();
  const lock = /for (no key )?update|for share/i.test(text) ? ' (locking)' : '';
  return table ? `${verb} ${table[1]}${lock}` : `${verb}${lock}`;
}

function startPgCountProxy({ host = '127.0.0.1', port = 5432 } = {}) {
  const kinds = new Map();
  let statements = 0;
  const sockets = new Set();
  const count = (sql) => {
    statements += 1;
    const k = normalize(sql);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    // As the api's own connections (pg sets noDelay): with Nagle's algorithm on the proxy's sockets, a message larger
    // than one segment (a batch's statement) waited for PostgreSQL's delayed ACK, ~40 ms, on every pass
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    let buf = Buffer.alloc(0);
    let started = false;
    const prepared = new Map(); // statement name ('' = unnamed) -> SQL
    let bound = '';
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!started) {
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          if (code !== 80877103) started = true; // SSLRequest is followed by the real startup message
          continue;
        }
        if (buf.length < 5) break;
        const type = String.fromCharCode(buf[0]);
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) break;
        const body = buf.subarray(5, len + 1);
        if (type === 'Q') count(body.toString('utf8', 0, body.indexOf(0)));
        else if (type === 'P') {
          const nameEnd = body.indexOf(0);
          prepared.set(
            body.toString('utf8', 0, nameEnd),
            body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1)),
          );
        } else if (type === 'B') {
          const portalEnd = body.indexOf(0);
          bound = prepared.get(body.toString('utf8', portalEnd + 1, body.indexOf(0, portalEnd + 1))) ?? '?';
        } else if (type === 'E') count(bound);
        buf = buf.subarray(len + 1);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        snapshot: () => ({ statements, kinds: new Map(kinds) }),
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

// Statements between two snapshots, by kind, most frequent first
function statementsBetween(a, b) {
  const kinds = [];
  for (const [k, n] of b.kinds) if (n - (a.kinds.get(k) ?? 0) > 0) kinds.push([k, n - (a.kinds.get(k) ?? 0)]);
  kinds.sort((x, y) => y[1] - x[1]);
  return { statements: b.statements - a.statements, kinds };
}

// The statements of a diff (statementsBetween) that are not `background` work, by kind, and their sum
function ownStatements(diff, background) {
  const kinds = diff.kinds.filter(([k]) => !background(k));
  return { statements: kinds.reduce((n, [, c]) => n + c, 0), kinds };
}

// Prints statements by kind per unit of work ("order", "alert"), most frequent first
function printPerUnit(kinds, units, unit) {
  console.log(`  statements per ${unit} by kind:`);
  for (const [k, n] of [...kinds].sort((x, y) => y[1] - x[1]))
    console.log(`    ${(n / units).toFixed(2).padStart(6)}  ${k}`);
}

module.exports = { startPgCountProxy, statementsBetween, ownStatements, printPerUnit };
