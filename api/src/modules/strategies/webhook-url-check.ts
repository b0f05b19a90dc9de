// TradingView delivers webhooks only to ports 80 and 443 of an address it can reach over the internet. A webhook
// URL that fails this is useless to paste (alerts never arrive), so the deploy answer says what to change.
const HOW_TO =
  'Set PUBLIC_BASE_URL (in .env or the environment) to the public https address of this API, for example ' +
  'PUBLIC_BASE_URL=https://algo.example.com, and restart it; for a trial, a tunnel such as cloudflared or ngrok gives one.';

export function webhookUrlWarning(publicBaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(publicBaseUrl);
  } catch {
    return `PUBLIC_BASE_URL "${publicBaseUrl}" is not a URL. ${HOW_TO}`;
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isPrivateHost(host)) {
    return `The webhook URL points at ${url.host}, which only this machine or its network can reach: TradingView cannot deliver alerts to it. ${HOW_TO}`;
  }
  if (
    url.port &&
    !(url.protocol === 'https:' && url.port === '443') &&
    !(url.protocol === 'http:' && url.port === '80')
  ) {
    return `The webhook URL uses port ${url.port}: TradingView sends webhooks only to ports 80 and 443. ${HOW_TO}`;
  }
  if (url.protocol !== 'https:') {
    return `The webhook URL is plain http: the alert message, with its secret, would cross the internet unencrypted. ${HOW_TO}`;
  }
  return null;
}

function isPrivateHost(host: string): boolean {
  if (
    host === 'localhost' ||
    /\.(localhost|local|internal|lan|home\.arpa)$/.test(host) ||
    (!host.includes('.') && !host.includes(':'))
  )
    return true;
  const v4 = host.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':'))
    return (
      host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:')
    );
  return false;
}
