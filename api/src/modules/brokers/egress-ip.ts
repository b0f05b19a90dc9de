import { logger } from '../../shared/logger';

const DETECT_TIMEOUT_MS = 3000;
const DETECTED_FOR_MS = 60 * 60 * 1000;
const IP = /^[\d.:a-fA-F]{3,45}$/;

// This server's public IP as brokers see it: EGRESS_IP when set, else asked of a "what is my IP" URL (kept an hour).
// null when neither is available: the static IP check then says it cannot tell.
export class EgressIp {
  private detected?: { ip: string | null; at: number };

  constructor(
    private readonly configured: string,
    private readonly detectUrl: string,
  ) {}

  async current(): Promise<{ ip: string | null; source: 'setting' | 'detected' | 'unknown' }> {
    if (this.configured.trim()) return { ip: this.configured.trim(), source: 'setting' };
    if (!this.detectUrl || this.detectUrl === 'off') return { ip: null, source: 'unknown' };
    if (!this.detected || Date.now() - this.detected.at > DETECTED_FOR_MS)
      this.detected = { ip: await this.detect(), at: Date.now() };
    return { ip: this.detected.ip, source: this.detected.ip ? 'detected' : 'unknown' };
  }

  private async detect(): Promise<string | null> {
    try {
      const res = await fetch(this.detectUrl, { signal: AbortSignal.timeout(DETECT_TIMEOUT_MS) });
      const text = (await res.text()).trim();
      if (res.ok && IP.test(text)) return text;
      logger.warn('egress IP lookup answered something else than an IP', { url: this.detectUrl, status: res.status });
    } catch (error) {
      logger.warn('egress IP lookup failed', { url: this.detectUrl, error: (error as Error).message });
    }
    return null;
  }
}
