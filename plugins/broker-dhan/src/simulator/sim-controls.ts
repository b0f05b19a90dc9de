// Account controls in the simulator: the static IP rule for order writes and the daily P&L exit
import Decimal from 'decimal.js';
import type { SimBook } from './sim-book';
import { SimInputError } from './sim-validate';

type Reply = { status: number; body: unknown };

export type SimStaticIps = { primary?: string | null; secondary?: string | null };

// Order writes are refused from any IP but the registered ones (when one is registered)
export class SimStaticIp {
  ips: { primary: string | null; secondary: string | null; modifyDatePrimary: string; modifyDateSecondary: string };

  constructor(initial: SimStaticIps = {}) {
    this.ips = {
      primary: initial.primary ?? null,
      secondary: initial.secondary ?? null,
      modifyDatePrimary: '',
      modifyDateSecondary: '',
    };
  }

  set(ips: SimStaticIps): void {
    if (ips.primary !== undefined) this.ips.primary = ips.primary;
    if (ips.secondary !== undefined) this.ips.secondary = ips.secondary;
  }

  /** null when allowed, else Dhan's refusal (the code is unconfirmed; the message names the rule). */
  check(clientIp: string): Reply | null {
    const allowed = [this.ips.primary, this.ips.secondary].filter((x): x is string => !!x);
    if (!allowed.length || allowed.includes(clientIp)) return null;
    return {
      status: 403,
      body: {
        errorType: 'Invalid_Access',
        errorCode: 'DH-902',
        errorMessage: `Orders are accepted only from your whitelisted static IP; this request came from ${clientIp}`,
      },
    };
  }

  // GET /ip/getIP
  read(): Reply {
    const { primary, secondary, modifyDatePrimary, modifyDateSecondary } = this.ips;
    return {
      status: 200,
      body: { primaryIP: primary ?? '', secondaryIP: secondary ?? '', modifyDatePrimary, modifyDateSecondary },
    };
  }

  // POST /ip/setIP and PUT /ip/modifyIP {dhanClientId, ip, ipFlag}
  write(body: unknown, today: string): Reply {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.ip !== 'string' || !/^[\d.:a-fA-F]+$/.test(b.ip)) throw new SimInputError('ip is invalid');
    if (b.ipFlag === 'PRIMARY') {
      this.ips.primary = b.ip;
      this.ips.modifyDatePrimary = today;
    } else if (b.ipFlag === 'SECONDARY') {
      this.ips.secondary = b.ip;
      this.ips.modifyDateSecondary = today;
    } else throw new SimInputError('ipFlag must be PRIMARY or SECONDARY');
    return { status: 200, body: { message: 'IP saved successfully', status: 'SUCCESS' } };
  }
}

type PnlRule = {
  profit: Decimal;
  loss: Decimal;
  products: string[];
  killSwitch: boolean;
  status: 'ACTIVE' | 'TRIGGERED';
};
const PNL_PRODUCT: Record<string, string> = { INTRADAY: 'INTRADAY', DELIVERY: 'CNC' };

// The day's P&L of the rule's products reaching the profit (or the loss) closes those positions at market,
// cancels their pending orders, and optionally turns the kill switch on
export class SimPnlExit {
  rule?: PnlRule;
  private running = false;

  constructor(private readonly book: SimBook) {
    book.onChange(() => this.check());
    book.onPrice(() => this.check());
  }

  set(body: unknown): Reply {
    const b = (body ?? {}) as Record<string, unknown>;
    const amount = (k: string) => {
      const v = b[k];
      const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
      if (!/^\d+(\.\d+)?$/.test(s)) throw new SimInputError(`${k} must be a non-negative number`);
      return new Decimal(s);
    };
    const products = Array.isArray(b.productType) ? b.productType.map(String) : [];
    if (!products.length || products.some((p) => !PNL_PRODUCT[p]))
      throw new SimInputError('productType must list INTRADAY and/or DELIVERY');
    const rule: PnlRule = {
      profit: amount('profitValue'),
      loss: amount('lossValue'),
      products,
      killSwitch: b.enableKillSwitch === true,
      status: 'ACTIVE',
    };
    if (rule.profit.lte(0) && rule.loss.lte(0)) throw new SimInputError('profitValue or lossValue is required');
    this.rule = rule;
    // A threshold already crossed exits at once
    this.check();
    return { status: 200, body: { pnlExitStatus: 'ACTIVE', message: 'P&L based exit configured successfully' } };
  }

  read(): Reply {
    const r = this.rule;
    if (!r) return { status: 200, body: { pnlExitStatus: 'INACTIVE' } };
    return {
      status: 200,
      body: {
        pnlExitStatus: r.status,
        profit: r.profit.toFixed(2),
        loss: r.loss.toFixed(2),
        productType: r.products,
        enable_kill_switch: r.killSwitch,
      },
    };
  }

  stop(): Reply {
    this.rule = undefined;
    return { status: 200, body: { pnlExitStatus: 'DISABLED' } };
  }

  private check(): void {
    const r = this.rule;
    if (!r || r.status !== 'ACTIVE' || this.running) return;
    const products = new Set(r.products.map((p) => PNL_PRODUCT[p]));
    const mine = this.book.positions().filter((p) => products.has(p.productType));
    const pnl = mine.reduce((s, p) => s.plus(p.realizedProfit).plus(p.unrealizedProfit), new Decimal(0));
    const hit = (r.profit.gt(0) && pnl.gte(r.profit)) || (r.loss.gt(0) && pnl.neg().gte(r.loss));
    if (!hit) return;
    r.status = 'TRIGGERED';
    this.running = true;
    try {
      for (const o of [...this.book.orders.values()]) {
        if (this.book.isOpen(o) && products.has(o.productType)) this.book.completeCancel(o.orderId);
      }
      for (const p of mine) {
        if (p.netQty === 0) continue;
        const exit = this.book.place({
          correlationId: null,
          transactionType: p.netQty > 0 ? 'SELL' : 'BUY',
          exchangeSegment: p.exchangeSegment,
          productType: p.productType,
          orderType: 'MARKET',
          validity: 'DAY',
          securityId: p.securityId,
          quantity: Math.abs(p.netQty),
          disclosedQuantity: 0,
          price: '0',
          triggerPrice: '0',
          afterMarketOrder: false,
        });
        this.book.admit(exit.orderId);
      }
      if (r.killSwitch) this.book.killSwitch = true;
    } finally {
      this.running = false;
    }
  }
}
