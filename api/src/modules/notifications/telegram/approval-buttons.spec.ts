import { approvalCallbackData, readApprovalData } from './approval-buttons';

// The last base64url character of a 16-byte value carries 2 bits; its 4 low bits are ignored when decoding
const withLowBitFlipped = (text: string): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(text[text.length - 1]);
  return text.slice(0, -1) + alphabet[last ^ 1];
};

describe('approval buttons', () => {
  const secret = 'k'.repeat(64);
  const executionId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

  it('should read a button back, and refuse one whose mac or id is another text for the same bytes', () => {
    const data = approvalCallbackData(secret, 'reject', executionId, '42');
    expect(readApprovalData(secret, data, '42')).toEqual({ action: 'reject', executionId });
    expect(readApprovalData(secret, data, '43')).toBeNull();
    const [prefix, code, packed, mac] = data.split(':');
    expect(Buffer.from(withLowBitFlipped(mac), 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    expect(readApprovalData(secret, [prefix, code, packed, withLowBitFlipped(mac)].join(':'), '42')).toBeNull();
    expect(readApprovalData(secret, [prefix, code, withLowBitFlipped(packed), mac].join(':'), '42')).toBeNull();
  });
});
