import { isBrokerError, pnlExitRuleSchema, type BrokerClient, type PnlExitState } from '@algodatta/broker-sdk';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../shared/app-error';
import { BrokerAccountStatus } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { audit } from '../audit/audit.service';
import type { User } from '../users/user.entity';
import { BrokerAccount } from './broker-account.entity';
import { findAccount } from './broker-account-lookup';
import type { BrokerRouter } from './broker-route';
import type { BrokerKillSwitchResult, BrokerPnlExit, BrokerPnlExitInput } from './broker-controls.types';
import type { BrokerRegistry } from './plugin-registry';

const errorText = (error: unknown) =>
  (isBrokerError(error) ? `${error.code}: ${error.message}` : (error as Error).message).slice(0, 500);

// The broker's own account controls, through the SDK: its kill switch (mirrored from the platform's for accounts that
// opted in) and its daily P&L exit.
export class BrokerControls {
  constructor(
    private readonly orm: MikroORM,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
  ) {}

  /** The platform kill switch changed: the same at every connected account that opted in. Never throws. */
  async mirrorKillSwitch(active: boolean): Promise<BrokerKillSwitchResult[]> {
    const accounts = await this.orm.em
      .fork()
      .find(BrokerAccount, { brokerKillSwitch: true, status: BrokerAccountStatus.CONNECTED });
    return Promise.all(
      accounts
        .filter((a) => this.brokers.isLive(a.broker) && this.brokers.plugin(a.broker).manifest.has.killSwitch)
        .map(async (a) => {
          const result = { broker: a.broker, accountId: a.id };
          try {
            const state = await (await this.client(a)).setKillSwitch!(active);
            logger.warn(`broker kill switch ${state.active ? 'activated' : 'deactivated'}`, {
              broker: a.broker,
              accountId: a.id,
            });
            return {
              ...result,
              ok: state.active === active,
              message: state.active ? 'active at the broker' : 'inactive at the broker',
            };
          } catch (error) {
            // Dhan activates only a flat account (no position, no pending order)
            logger.error('broker kill switch not changed', {
              broker: a.broker,
              accountId: a.id,
              active,
              error: errorText(error),
            });
            return { ...result, ok: false, message: errorText(error) };
          }
        }),
    );
  }

  async pnlExit(
    em: EntityManager,
    user: User,
    broker: string,
    accountId?: string | null,
  ): Promise<BrokerPnlExit | null> {
    const state = await (await this.pnlClient(em, user, broker, accountId)).getPnlExit!();
    return state ? view(broker, state) : null;
  }

  async setPnlExit(em: EntityManager, user: User, input: BrokerPnlExitInput, ip?: string): Promise<BrokerPnlExit> {
    const rule = pnlExitRuleSchema.safeParse({
      profit: input.profit,
      loss: input.loss,
      products: input.products,
      killSwitch: input.killSwitch,
    });
    if (!rule.success)
      throw badInput(
        `P&L exit: ${rule.error.issues.map((i) => `${i.path.join('.') || 'rule'} ${i.message}`).join('; ')}`,
      );
    const client = await this.pnlClient(em, user, input.broker, input.accountId);
    const state = await client.setPnlExit!(rule.data).catch((error: unknown) => {
      throw badInput(`${input.broker} refused the P&L exit (${errorText(error)})`);
    });
    audit(em, {
      actor: user,
      action: 'broker.pnl_exit',
      entityType: 'broker_account',
      details: {
        broker: input.broker,
        profit: input.profit ?? null,
        loss: input.loss ?? null,
        products: input.products,
      },
      ip,
    });
    await em.flush();
    return view(input.broker, state);
  }

  async stopPnlExit(
    em: EntityManager,
    user: User,
    broker: string,
    ip?: string,
    accountId?: string | null,
  ): Promise<boolean> {
    await (
      await this.pnlClient(em, user, broker, accountId)
    ).stopPnlExit!();
    audit(em, { actor: user, action: 'broker.pnl_exit_stop', entityType: 'broker_account', details: { broker }, ip });
    await em.flush();
    return true;
  }

  private async pnlClient(
    em: EntityManager,
    user: User,
    broker: string,
    accountId?: string | null,
  ): Promise<BrokerClient> {
    const account = await findAccount(em, user.id, broker, accountId);
    if (!account || !this.brokers.isLive(broker)) throw notFound('Broker account');
    if (!this.brokers.plugin(broker).manifest.has.pnlExit) throw badInput(`${broker} has no P&L exit`);
    return this.client(account);
  }

  private async client(account: BrokerAccount): Promise<BrokerClient> {
    const route = this.router.accountRoute(account);
    if (!route) throw badInput(`your ${account.broker} account is not connected`);
    return this.brokers.client(route.broker, route.accountId, route.credentials, route.credentialsVersion);
  }
}

function view(broker: string, s: PnlExitState): BrokerPnlExit {
  return {
    broker,
    active: s.active,
    profit: s.profit ?? null,
    loss: s.loss ?? null,
    products: s.products,
    killSwitch: s.killSwitch,
  };
}
