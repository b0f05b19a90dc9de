// has.staticIp, has.killSwitch, has.pnlExit for Dhan (DOCS /traders-control; SDK auth.py get_ip)
import Decimal from 'decimal.js';
import { InvalidOrderError, pnlExitRuleSchema } from '@algodatta/broker-sdk';
import type { KillSwitchState, PnlExitRule, PnlExitState, Product, StaticIpInfo } from '@algodatta/broker-sdk';
import { BROKER_NAME } from '../error-map';
import type { DhanOp } from '../error-map';
import type { DhanRequest } from '../http/dhan-http.client';
import { str } from '../parse/values.parse';

export type ControlsDeps = {
  accountId: string;
  call<T>(req: DhanRequest, op: DhanOp, what: string): Promise<T>;
};

const base = (d: ControlsDeps) => ({ broker: BROKER_NAME, accountId: d.accountId });

// GET /ip/getIP: {"primaryIP":"203.0.113.7","secondaryIP":"","modifyDatePrimary":"2026-03-01","modifyDateSecondary":""}
export async function getStaticIp(d: ControlsDeps): Promise<StaticIpInfo> {
  const raw = await d.call<Record<string, unknown>>({ method: 'GET', path: '/ip/getIP' }, 'read', 'static IP');
  return {
    ...base(d),
    primary: str(raw?.primaryIP) ?? null,
    secondary: str(raw?.secondaryIP) ?? null,
    raw: raw ?? null,
  };
}

// GET /killswitch: {"dhanClientId":"…","killSwitchStatus":"ACTIVATE"|"DEACTIVATE"}
export async function getKillSwitch(d: ControlsDeps): Promise<KillSwitchState> {
  const raw = await d.call<Record<string, unknown>>(
    { method: 'GET', path: '/killswitch' },
    'read',
    'kill switch status',
  );
  return { ...base(d), active: /^activ/i.test(str(raw?.killSwitchStatus) ?? ''), raw: raw ?? null };
}

// POST /killswitch?killSwitchStatus=ACTIVATE -> {"killSwitchStatus":"Kill Switch has been successfully activated"}
// (a sentence, not the enum). Activation with open positions or pending orders is refused (DH-906).
export async function setKillSwitch(d: ControlsDeps, active: boolean): Promise<KillSwitchState> {
  const raw = await d.call<unknown>(
    { method: 'POST', path: '/killswitch', query: { killSwitchStatus: active ? 'ACTIVATE' : 'DEACTIVATE' } },
    'write',
    'kill switch',
  );
  return { ...base(d), active, raw: raw ?? null };
}

// The P&L exit speaks DELIVERY where orders say CNC
const PNL_PRODUCT: Partial<Record<Product, string>> = { INTRADAY: 'INTRADAY', CNC: 'DELIVERY' };
const PNL_PRODUCT_BACK: Record<string, Product> = { INTRADAY: 'INTRADAY', DELIVERY: 'CNC', CNC: 'CNC' };

/*
 * POST /pnlExit {"profitValue":"1500.00","lossValue":"500.00","productType":["INTRADAY","DELIVERY"],"enableKillSwitch":true}
 *  -> {"pnlExitStatus":"ACTIVE","message":"P&L based exit configured successfully"}. Today only; a threshold already
 * crossed exits at once.
 */
export async function setPnlExit(d: ControlsDeps, rule: PnlExitRule): Promise<PnlExitState> {
  const parsed = pnlExitRuleSchema.safeParse(rule);
  if (!parsed.success) {
    throw new InvalidOrderError(
      `dhan: invalid P&L exit: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ')}`,
      { broker: BROKER_NAME },
    );
  }
  const r = parsed.data;
  const products = r.products.map((p) => {
    const wire = PNL_PRODUCT[p];
    if (!wire)
      throw new InvalidOrderError(`dhan: the P&L exit covers INTRADAY and CNC positions, not ${p}`, {
        broker: BROKER_NAME,
      });
    return wire;
  });
  const money = (v?: string) => (v === undefined ? '0.00' : new Decimal(v).toFixed(2));
  const raw = await d.call<unknown>(
    {
      method: 'POST',
      path: '/pnlExit',
      body: {
        profitValue: money(r.profit),
        lossValue: money(r.loss),
        productType: [...new Set(products)],
        enableKillSwitch: r.killSwitch,
      },
    },
    'write',
    'set P&L exit',
  );
  const state: PnlExitState = {
    ...base(d),
    active: true,
    products: [...new Set(r.products)],
    killSwitch: r.killSwitch,
    raw: raw ?? null,
  };
  if (r.profit !== undefined) state.profit = new Decimal(r.profit).toFixed();
  if (r.loss !== undefined) state.loss = new Decimal(r.loss).toFixed();
  return state;
}

// GET /pnlExit: {"pnlExitStatus":"ACTIVE","profit":"1500.00","loss":"500.00","productType":["INTRADAY"],"enable_kill_switch":true}
// (short names and snake_case here, unlike the POST body)
export async function getPnlExit(d: ControlsDeps): Promise<PnlExitState | null> {
  const raw = await d.call<Record<string, unknown>>({ method: 'GET', path: '/pnlExit' }, 'read', 'P&L exit');
  if (!/^active$/i.test(str(raw?.pnlExitStatus) ?? '')) return null;
  const amount = (v: unknown) => {
    const s = str(v);
    if (!s || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
    const n = new Decimal(s).abs();
    return n.gt(0) ? n.toFixed() : undefined;
  };
  const products = (Array.isArray(raw.productType) ? raw.productType : [])
    .map((p) => PNL_PRODUCT_BACK[String(p).toUpperCase()])
    .filter((p): p is Product => p !== undefined);
  const state: PnlExitState = {
    ...base(d),
    active: true,
    products: [...new Set(products)],
    killSwitch: raw.enable_kill_switch === true || raw.enableKillSwitch === true,
    raw,
  };
  const profit = amount(raw.profit ?? raw.profitValue);
  const loss = amount(raw.loss ?? raw.lossValue);
  if (profit) state.profit = profit;
  if (loss) state.loss = loss;
  return state;
}

// DELETE /pnlExit -> {"pnlExitStatus":"DISABLED"}
export async function stopPnlExit(d: ControlsDeps): Promise<void> {
  await d.call<unknown>({ method: 'DELETE', path: '/pnlExit' }, 'write', 'stop P&L exit');
}
