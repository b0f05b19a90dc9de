// Broker postbacks (has.webhooks): the broker POSTs to the host's `/api/webhook/brokers/<name>/postback`. Anyone can
// call that URL, so the plugin only says which order a postback is about; the host reads the order back from the
// broker with the account's own credentials and never trusts the body's status, quantities or prices.

/** The request as the host received it; `body` is the raw text (at most 64 KiB). */
export type WebhookRequest = {
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** The order a postback names. At least one id; the host looks its execution up by either. */
export type WebhookOrderRef = {
  clientOrderId?: string;
  brokerOrderId?: string;
  /** The broker's client id of the account, when the postback says: a postback for another client is ignored. */
  accountClientId?: string;
  /** The status the postback claims, for logs only. */
  status?: string;
};

export type WebhookProblem = { path: string; message: string };

/**
 * What `definition.parseWebhook(request, options)` returns: the order it names, null for a valid postback that
 * names none (a ping), or the problems of a malformed body (the host answers 400 invalid_payload with them).
 */
export type WebhookParse = { ok: true; ref: WebhookOrderRef | null } | { ok: false; problems: WebhookProblem[] };
