// has.session: { expiry, renew }. Tokens last a day; renewing swaps the client to the new token at once, and the host
// stores SessionToken.accessToken (encrypted). A token is a secret: never in `raw`, a message or a log line.
'use strict';

const { BROKER } = require('../wire');
const { exchange } = require('../venue');

module.exports = {
  async sessionExpiry() {
    const { token } = this.session();
    return {
      broker: BROKER,
      accountId: this.accountId,
      expiresAt: token.expiresAt,
      source: 'token',
      raw: { expires_at: token.expiresAt },
    };
  },

  async renewSession() {
    this.session();
    const renewed = exchange.renew(this.accessToken);
    this.accessToken = renewed.access_token;
    return {
      accessToken: renewed.access_token,
      expiresAt: renewed.expires_at,
      via: 'renew',
      raw: { expires_at: renewed.expires_at },
    };
  },
};
