import { webhookUrlWarning } from './webhook-url-check';

describe('webhookUrlWarning', () => {
  it('should accept a public https address on the default port', () => {
    expect(webhookUrlWarning('https://algo.example.com')).toBeNull();
    expect(webhookUrlWarning('https://algo.example.com:443/')).toBeNull();
    expect(webhookUrlWarning('https://203.0.113.7')).toBeNull();
  });

  it.each([
    'http://localhost:4000',
    'http://127.0.0.1:4000',
    'https://localhost',
    'https://10.0.0.5',
    'https://192.168.1.20',
    'https://172.20.0.3',
    'https://[::1]',
    'https://algodatta.local',
    'https://api',
    'https://169.254.1.1',
    'https://100.64.0.1',
  ])('should say TradingView cannot reach %s, and how to set PUBLIC_BASE_URL', (url) => {
    expect(webhookUrlWarning(url)).toMatch(/only this machine or its network can reach.*Set PUBLIC_BASE_URL .*https/);
  });

  it('should refuse ports other than 80 and 443, and plain http', () => {
    expect(webhookUrlWarning('https://algo.example.com:8443')).toMatch(
      /port 8443: TradingView sends webhooks only to ports 80 and 443/,
    );
    expect(webhookUrlWarning('http://algo.example.com:443')).toMatch(/port 443/);
    expect(webhookUrlWarning('http://algo.example.com')).toMatch(/plain http/);
    expect(webhookUrlWarning('not a url')).toMatch(/is not a URL/);
  });
});
