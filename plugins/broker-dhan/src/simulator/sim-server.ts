import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { SimBook, SimOrderError } from './sim-book';
import type { SimInstrument, SimOrder, SimTrade } from './sim-book';
import { FaultQueue, parseFault } from './sim-faults';
import type { SimFault } from './sim-faults';
import { toOrderAlert, toPostback } from './sim-updates';
import { formatIst } from './sim-time';
import { SimInputError, validateModifyBody, validatePlaceBody } from './sim-validate';
import type { DhanHolding } from '../dhan/dhan.types';
import { SimPnlExit, SimStaticIp } from './sim-controls';
import type { SimStaticIps } from './sim-controls';
import { SimMarketFeed } from './sim-market-feed';
import { SimSessions } from './sim-session';
import { SimSuperOrders } from './sim-super-orders';

export type DhanSimulatorOptions = {
  port?: number; // 0 (default) picks a free port
  host?: string;
  clientId?: string;
  accessToken?: string;
  // Market price per securityId; MARKET orders fill there, LIMIT orders rest until it crosses them
  prices?: Record<string, string>;
  defaultPrice?: string; // for securities without a configured price (community: the sandbox fills at 100)
  instruments?: Record<string, SimInstrument>; // lot sizes are enforced when given
  initialBalance?: string;
  holdings?: DhanHolding[];
  orderRateLimitPerSecond?: number; // order writes beyond this in any 1 s window get 429 DH-904
  transitMs?: number; // how long an order stays in TRANSIT
  postbackUrl?: string;
  now?: () => number;
  tokenTtlMs?: number; // life of a token (default 24 h); past it every call answers DH-901
  pin?: string; // with totpSecret: generateAccessToken (PIN + TOTP) is enabled
  totpSecret?: string; // base32
  staticIps?: SimStaticIps; // when set, order writes from any other IP are refused
  algoId?: string | null; // the exchange algo id stamped on API orders (default "99420001")
  stopMarketSegments?: string[]; // segments that accept SL-M (default NSE_EQ, BSE_EQ: market price protection)
  freezeQuantities?: Record<string, number>; // per securityId: /orders/slicing splits above it
};

export type RecordedRequest = {
  method: string;
  path: string; // without the /v2 prefix and the query
  url: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
  at: number;
};

export type PostbackDelivery = { url: string; body: Record<string, unknown>; status?: number; error?: string };

export type DhanSimulator = {
  url: string; // REST base, e.g. http://127.0.0.1:9100/v2
  wsUrl: string; // order-update WebSocket
  authUrl: string; // auth host (generateAccessToken), e.g. http://127.0.0.1:9100
  feedUrl: string; // live market feed WebSocket
  port: number;
  state: SimBook;
  requests: RecordedRequest[];
  postbacks: PostbackDelivery[];
  inject(fault: SimFault): void;
  clearFaults(): void;
  expireToken(): void;
  setAccessToken(token: string): void;
  sessions: SimSessions;
  staticIp: SimStaticIp;
  pnlExit: SimPnlExit;
  superOrders: SimSuperOrders;
  marketFeed: SimMarketFeed;
  setPrice(securityId: string, price: string): void;
  setPostbackUrl(url: string | undefined): void;
  // Re-sends every order alert sent so far (to test duplicate delivery)
  replayOrderAlerts(): void;
  dropOrderUpdateClients(): void;
  // Order-update sockets that have logged in (a test drops them only once one is there)
  orderUpdateClients(): number;
  close(): Promise<void>;
};

type Reply = { status: number; body: unknown };
const ORDER_WRITE = /^\/(super\/)?orders(\/|$)/;
const DEFAULT_STOP_MARKET_SEGMENTS = ['NSE_EQ', 'BSE_EQ'];

function dhError(status: number, errorType: string, errorCode: string, errorMessage: string): Reply {
  return { status, body: { errorType, errorCode, errorMessage } };
}
const inputError = (msg: string) =>
  dhError(400, 'Input_Exception', 'DH-905', `Missing required fields, bad values for parameters etc. (${msg})`);
const orderError = (msg: string) => dhError(400, 'Order_Error', 'DH-906', msg);
const noData = (msg: string) => dhError(400, 'Data_Error', 'DH-907', msg);

// A local DhanHQ v2 look-alike: REST under /v2, the order-update WebSocket on any path, controls under /__sim
export async function startDhanSimulator(opts: DhanSimulatorOptions = {}): Promise<DhanSimulator> {
  const now = opts.now ?? Date.now;
  const clientId = opts.clientId ?? '1000000001';
  const sessions = new SimSessions({
    clientId,
    now,
    ttlMs: opts.tokenTtlMs ?? 86_400_000,
    pin: opts.pin,
    totpSecret: opts.totpSecret,
  });
  sessions.reset(opts.accessToken ?? 'sim-access-token');
  const stopMarketSegments = opts.stopMarketSegments ?? DEFAULT_STOP_MARKET_SEGMENTS;
  let postbackUrl = opts.postbackUrl;
  const transitMs = opts.transitMs ?? 10;
  const rateLimit = opts.orderRateLimitPerSecond ?? 10;
  const book = new SimBook({
    clientId,
    now,
    initialBalance: opts.initialBalance ?? '10000000',
    defaultPrice: opts.defaultPrice ?? '100',
    instruments: opts.instruments ?? {},
    algoId: opts.algoId === undefined ? '99420001' : opts.algoId,
  });
  for (const [id, px] of Object.entries(opts.prices ?? {})) book.prices.set(id, px);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const postbacks: PostbackDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const writeTimes: number[] = [];
  const alerts: Record<string, unknown>[] = [];
  const wsClients = new Map<WebSocket, { authed: boolean }>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const staticIp = new SimStaticIp(opts.staticIps);
  const pnlExit = new SimPnlExit(book);
  const superOrders = new SimSuperOrders(book, later, transitMs);
  const marketFeed = new SimMarketFeed(book, { clientId, tokenValid: (t) => sessions.valid(t), now });
  const refuseStopMarket = (v: { orderType: string; exchangeSegment: string }) => {
    if (v.orderType === 'STOP_LOSS_MARKET' && !stopMarketSegments.includes(v.exchangeSegment)) {
      throw new SimOrderError(
        `SL-M orders are not allowed in ${v.exchangeSegment} under market price protection; place SL (stop-limit) instead`,
      );
    }
  };

  const broadcast = (msg: Record<string, unknown>) => {
    const text = JSON.stringify(msg);
    for (const [ws, s] of wsClients) if (s.authed && ws.readyState === WebSocket.OPEN) ws.send(text);
  };

  book.onChange((o: SimOrder, trade?: SimTrade) => {
    const wire = book.toWire(o);
    const alert = toOrderAlert(wire, trade ? Number(trade.price) : undefined);
    alerts.push(alert);
    broadcast(alert);
    if (postbackUrl) {
      const delivery: PostbackDelivery = { url: postbackUrl, body: toPostback(wire) };
      postbacks.push(delivery);
      fetch(postbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(5000),
      })
        .then(async (r) => {
          delivery.status = r.status;
          await r.arrayBuffer();
        })
        .catch((e: unknown) => {
          delivery.error = e instanceof Error ? e.message : String(e);
        });
    }
  });

  const rateLimited = (): boolean => {
    const t = now();
    while (writeTimes.length && writeTimes[0] <= t - 1000) writeTimes.shift();
    if (writeTimes.length >= rateLimit) return true;
    writeTimes.push(t);
    return false;
  };

  const route = (r: RecordedRequest): Reply => {
    const { method, path } = r;
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'POST' && path === '/orders/slicing') {
      const v = validatePlaceBody(r.body, clientId);
      refuseStopMarket(v);
      const freeze = opts.freezeQuantities?.[v.securityId];
      const legs: number[] = [];
      for (let left = v.quantity; left > 0; left -= freeze ?? left) legs.push(Math.min(left, freeze ?? left));
      // All legs are checked before any is booked: one bad leg books nothing
      const lot = opts.instruments?.[v.securityId]?.lotSize;
      if (lot && legs.some((q) => q % lot !== 0))
        throw new SimInputError(`quantity must be a multiple of the lot size ${lot}`);
      return {
        status: 200,
        body: legs.map((q) => {
          const o = book.place({ ...v, quantity: q });
          later(transitMs, () => book.admit(o.orderId));
          return { orderId: o.orderId, orderStatus: o.status };
        }),
      };
    }
    if (method === 'POST' && path === '/orders') {
      const v = validatePlaceBody(r.body, clientId);
      refuseStopMarket(v);
      const o = book.place(v);
      later(transitMs, () => book.admit(o.orderId));
      return { status: 200, body: { orderId: o.orderId, orderStatus: o.status } };
    }
    if (seg[0] === 'orders' && seg[1] === 'external' && seg.length === 3 && method === 'GET') {
      const o = book.byCorrelationId(seg[2]);
      return o ? { status: 200, body: book.toWire(o) } : noData('No order found for this correlation id');
    }
    if (seg[0] === 'orders' && seg.length === 2) {
      const id = seg[1];
      if (method === 'GET') {
        const o = book.orders.get(id);
        return o ? { status: 200, body: book.toWire(o) } : noData('No order found for this order id');
      }
      if (method === 'PUT') {
        const m = validateModifyBody(r.body, clientId, id);
        refuseStopMarket({ orderType: m.orderType, exchangeSegment: book.mustGet(id).exchangeSegment });
        const o = book.modify(id, m);
        later(transitMs, () => book.rematch(id));
        return { status: 200, body: { orderId: o.orderId, orderStatus: 'TRANSIT' } };
      }
      if (method === 'DELETE') {
        const o = book.requestCancel(id);
        later(transitMs, () => book.completeCancel(id));
        return { status: 200, body: { orderId: o.orderId, orderStatus: 'TRANSIT' } };
      }
    }
    if (method === 'GET' && path === '/orders')
      return { status: 200, body: [...book.orders.values()].map((o) => book.toWire(o)) };
    if (method === 'GET' && path === '/trades')
      return { status: 200, body: book.trades.map((t) => book.tradeToWire(t)) };
    if (method === 'GET' && seg[0] === 'trades' && seg.length === 2) {
      return { status: 200, body: book.trades.filter((t) => t.orderId === seg[1]).map((t) => book.tradeToWire(t)) };
    }
    if (method === 'GET' && path === '/positions') return { status: 200, body: book.positions() };
    if (method === 'GET' && path === '/holdings') return { status: 200, body: opts.holdings ?? [] };
    if (method === 'GET' && path === '/fundlimit') return { status: 200, body: book.funds() };
    if (method === 'GET' && path === '/profile') {
      return {
        status: 200,
        body: {
          dhanClientId: clientId,
          tokenValidity: formatIst(now() + 86_400_000).replace(
            /^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d):\d\d$/,
            '$3/$2/$1 $4',
          ),
          activeSegment: 'Equity, Derivative, Currency, Commodity',
          ddpi: 'Active',
          mtf: 'Deactive',
          dataPlan: 'Deactive',
          dataValidity: '',
        },
      };
    }
    if (path === '/killswitch' && method === 'GET') {
      return {
        status: 200,
        body: { dhanClientId: clientId, killSwitchStatus: book.killSwitch ? 'ACTIVATE' : 'DEACTIVATE' },
      };
    }
    if (path === '/killswitch' && method === 'POST') {
      const s = r.query.killSwitchStatus;
      if (s !== 'ACTIVATE' && s !== 'DEACTIVATE') return inputError('killSwitchStatus must be ACTIVATE or DEACTIVATE');
      if (s === 'ACTIVATE' && ([...book.orders.values()].some((o) => book.isOpen(o)) || book.hasOpenPositions())) {
        return orderError('Kill switch can be activated only with no open positions and no pending orders');
      }
      book.killSwitch = s === 'ACTIVATE';
      return {
        status: 200,
        body: {
          dhanClientId: clientId,
          killSwitchStatus: `Kill Switch has been successfully ${book.killSwitch ? 'activated' : 'deactivated'}`,
        },
      };
    }
    if (path === '/RenewToken') return sessions.renew(method, String(r.headers['access-token']));
    if (path === '/ip/getIP' && method === 'GET') return staticIp.read();
    if ((path === '/ip/setIP' && method === 'POST') || (path === '/ip/modifyIP' && method === 'PUT'))
      return staticIp.write(r.body, formatIst(now()).slice(0, 10));
    if (path === '/pnlExit') {
      if (method === 'POST' || method === 'PUT') return pnlExit.set(r.body);
      if (method === 'GET') return pnlExit.read();
      if (method === 'DELETE') return pnlExit.stop();
    }
    if (seg[0] === 'super' && seg[1] === 'orders') {
      if (method === 'GET' && seg.length === 2)
        return { status: 200, body: superOrders.list().map((x) => superOrders.toWire(x)) };
      if (method === 'POST' && seg.length === 2) {
        const x = superOrders.place(r.body, clientId);
        return { status: 200, body: { orderId: x.orderId, orderStatus: 'TRANSIT' } };
      }
      if (method === 'PUT' && seg.length === 3) {
        const x = superOrders.modify(seg[2], r.body);
        return { status: 200, body: { orderId: x.orderId, orderStatus: x.status } };
      }
      if (method === 'DELETE' && seg.length === 4) {
        const x = superOrders.cancel(seg[2], seg[3]);
        return { status: 200, body: { orderId: x.orderId, orderStatus: x.status } };
      }
    }
    return dhError(404, 'Invalid_Request', 'DH-910', `No route for ${method} ${path}`);
  };

  const control = (method: string, path: string, body: unknown): Reply => {
    if (path === '/__sim/faults' && method === 'POST') {
      for (const f of Array.isArray(body) ? body : [body]) faults.add(parseFault(f));
      return { status: 200, body: { ok: true } };
    }
    if (path === '/__sim/faults' && method === 'DELETE') {
      faults.clear();
      return { status: 200, body: { ok: true } };
    }
    if (path === '/__sim/expire-token' && method === 'POST') {
      sessions.expireAll();
      marketFeed.expireAll();
      return { status: 200, body: { ok: true } };
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (path === '/__sim/token' && method === 'POST' && typeof b.accessToken === 'string') {
      sessions.reset(b.accessToken);
      return { status: 200, body: { ok: true } };
    }
    if (
      path === '/__sim/prices' &&
      method === 'POST' &&
      typeof b.securityId === 'string' &&
      typeof b.price === 'string'
    ) {
      book.setPrice(b.securityId, b.price);
      return { status: 200, body: { ok: true } };
    }
    if (path === '/__sim/postback-url' && method === 'POST') {
      postbackUrl = typeof b.url === 'string' ? b.url : undefined;
      return { status: 200, body: { ok: true } };
    }
    if (path === '/__sim/state' && method === 'GET') {
      return {
        status: 200,
        body: {
          orders: [...book.orders.values()].map((o) => book.toWire(o)),
          requests: requests.length,
          killSwitch: book.killSwitch,
        },
      };
    }
    return { status: 404, body: { error: 'unknown control route' } };
  };

  const send = (res: http.ServerResponse, reply: Reply) => {
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://sim');
    const path = u.pathname.replace(/^\/v2(?=\/|$)/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown = undefined;
    let badJson = false;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        badJson = true;
        body = rawBody;
      }
    }
    if (path.startsWith('/__sim/')) {
      try {
        return send(res, control(method, path, body));
      } catch (e) {
        return send(res, { status: 400, body: { error: String(e) } });
      }
    }
    const rec: RecordedRequest = {
      method,
      path,
      url: req.url ?? '',
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body,
      rawBody,
      at: now(),
    };
    requests.push(rec);
    const fault = faults.take(method, path);
    if (fault?.kind === 'slow') await new Promise<void>((r) => later(fault.delayMs ?? 1000, r));
    if (fault?.kind === 'http_500')
      return send(res, dhError(500, 'Internal_Server_Error', 'DH-908', 'Internal server error (injected)'));
    if (fault?.kind === 'rate_limit')
      return send(res, dhError(429, 'Rate_Limit', 'DH-904', 'Too many requests (injected)'));
    if (fault?.kind === 'http_error') return send(res, { status: fault.status ?? 500, body: fault.body ?? {} });

    // The auth host's login needs no token
    if (path === '/app/generateAccessToken') return send(res, sessions.login(method, rec.query));
    // Dhan checks the token first; an expired one gives DH-901 with HTTP 401 (RenewToken sends the id as dhanClientId)
    const idHeader = req.headers['client-id'] ?? req.headers.dhanclientid;
    if (!sessions.valid(req.headers['access-token']) || idHeader !== clientId) {
      return send(
        res,
        dhError(
          401,
          'Invalid_Authentication',
          'DH-901',
          'Client ID or user generated access token is invalid or expired.',
        ),
      );
    }
    if (method !== 'GET' && ORDER_WRITE.test(path)) {
      const ipRefusal = staticIp.check((req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''));
      if (ipRefusal) return send(res, ipRefusal);
    }
    if (method !== 'GET' && ORDER_WRITE.test(path) && rateLimited()) {
      return send(
        res,
        dhError(429, 'Rate_Limit', 'DH-904', 'Too many requests on server from single user breaching rate limits.'),
      );
    }
    let reply: Reply;
    if (badJson) reply = inputError('body is not valid JSON');
    else {
      try {
        reply = route(rec);
      } catch (e) {
        if (e instanceof SimInputError) reply = inputError(e.message);
        else if (e instanceof SimOrderError) reply = orderError(e.message);
        else reply = dhError(500, 'Internal_Server_Error', 'DH-908', String(e));
      }
    }
    if (fault?.kind === 'drop_response') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'error_after_booking')
      return send(
        res,
        dhError(500, 'Internal_Server_Error', 'DH-908', 'Internal server error (injected after booking)'),
      );
    send(res, reply);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, { status: 500, body: { error: String(e) } }));
  });
  // Idle connections kept 65 s (Node's default 5 s): a client reusing one at the edge of 5 s, its own timers
  // running late on a loaded machine, had its request reset (wire-format, a loaded full run)
  server.keepAliveTimeout = 65_000;
  const wss = new WebSocketServer({ noServer: true });
  const feedWss = new WebSocketServer({ noServer: true });
  feedWss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => marketFeed.accept(ws, req));
  // The market feed on /marketfeed, order updates on any other path
  server.on('upgrade', (req, socket, head) => {
    const target = new URL(req.url ?? '/', 'http://sim').pathname.startsWith('/marketfeed') ? feedWss : wss;
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    const s = { authed: false };
    wsClients.set(ws, s);
    ws.on('close', () => wsClients.delete(ws));
    ws.on('message', (data) => {
      let msg: { LoginReq?: { MsgCode?: number; ClientId?: string; Token?: string }; UserType?: string };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.close(1008, 'bad message');
      }
      const login = msg.LoginReq;
      if (!login) return;
      if (login.MsgCode !== 42 || login.ClientId !== clientId || !sessions.valid(login.Token))
        return ws.close(1008, 'authentication failed');
      s.authed = true;
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';

  return {
    url: `http://${host}:${port}/v2`,
    wsUrl: `ws://${host}:${port}/order-update`,
    authUrl: `http://${host}:${port}`,
    feedUrl: `ws://${host}:${port}/marketfeed`,
    port,
    state: book,
    requests,
    postbacks,
    inject: (f) => faults.add(parseFault(f)),
    clearFaults: () => faults.clear(),
    expireToken: () => {
      sessions.expireAll();
      marketFeed.expireAll();
    },
    setAccessToken: (t) => {
      sessions.reset(t);
    },
    sessions,
    staticIp,
    pnlExit,
    superOrders,
    marketFeed,
    setPrice: (id, px) => book.setPrice(id, px),
    setPostbackUrl: (u) => {
      postbackUrl = u;
    },
    replayOrderAlerts: () => {
      for (const a of [...alerts]) broadcast(a);
    },
    dropOrderUpdateClients: () => {
      for (const ws of wsClients.keys()) ws.terminate();
    },
    orderUpdateClients: () => [...wsClients.values()].filter((s) => s.authed).length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of wsClients.keys()) ws.terminate();
      marketFeed.close();
      wss.close();
      feedWss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
