import { SecretBox } from './crypto';

describe('SecretBox', () => {
  const box = new SecretBox('k'.repeat(40));

  it('should round-trip a secret when the box is intact', () => {
    expect(box.decrypt(box.encrypt('broker-token-123'))).toBe('broker-token-123');
  });

  it('should refuse a box whose auth tag was cut short', () => {
    const [version, iv, tag, data] = box.encrypt('broker-token-123').split('.');
    // GCM can check a truncated tag (4..15 bytes) and pass it: forging one takes far fewer guesses than 2^128
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => box.decrypt([version, iv, short, data].join('.'))).toThrow();
    }
  });

  it('should refuse a box that was tampered with or made with another key', () => {
    const sealed = box.encrypt('broker-token-123');
    const [version, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.decrypt([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox('x'.repeat(40)).decrypt(sealed)).toThrow();
  });
});
