// has.staticIp, has.killSwitch, has.pnlExit: the exchange's account controls.
'use strict';

const { RejectedError, pnlExitRuleSchema } = require('@algodatta/broker-sdk');
const { BROKER } = require('../wire');
const { TERMINAL } = require('../venue');

function killSwitchState(client, account) {
  return {
    broker: BROKER,
    accountId: client.accountId,
    active: account.killSwitch,
    raw: { kill_switch: account.killSwitch },
  };
}

module.exports = {
  async getStaticIp() {
    this.account();
    return {
      broker: BROKER,
      accountId: this.accountId,
      primary: this.options.staticIp,
      secondary: null,
      raw: { ip: this.options.staticIp },
    };
  },

  async getKillSwitch() {
    return killSwitchState(this, this.account());
  },

  // Switching on needs a flat account, as brokers require: nothing working, nothing open
  async setKillSwitch(active) {
    const account = this.account();
    if (active) {
      const working = [...account.orders.values()].some((o) => !TERMINAL.has(o.status));
      const open = [...account.positions.values()].some((p) => p.net !== '0');
      if (working || open)
        throw new RejectedError(`${BROKER}: close positions and cancel orders before the kill switch`, {
          broker: BROKER,
        });
    }
    account.killSwitch = active;
    return killSwitchState(this, account);
  },

  async getPnlExit() {
    const account = this.account();
    return (
      account.pnlExit && {
        broker: BROKER,
        accountId: this.accountId,
        active: true,
        ...account.pnlExit,
        raw: account.pnlExit,
      }
    );
  },

  async setPnlExit(rule) {
    const account = this.account();
    const parsed = pnlExitRuleSchema.safeParse(rule);
    if (!parsed.success)
      throw new RejectedError(`${BROKER}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { broker: BROKER });
    account.pnlExit = parsed.data;
    return this.getPnlExit();
  },

  async stopPnlExit() {
    this.account().pnlExit = null;
  },
};
