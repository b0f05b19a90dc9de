// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. A body larger than one frame is cut into numbered
// pieces, sent in one transaction (so they arrive together, in order) and put back together by the receiver.
// The body is made pure ASCII first, so a character is a byte and a cut never splits one.
export const MAX_FRAME_BYTES = 7900;

// "<sender>:<seq>:<index>:<count>:" then the piece
const HEADER = /^([A-Za-z0-9]+):(\d+):(\d+):(\d+):/;

export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function encodeFrames(sender: string, seq: number, body: string, maxBytes = MAX_FRAME_BYTES): string[] {
  const room = maxBytes - `${sender}:${seq}:999999:999999:`.length;
  const count = Math.max(1, Math.ceil(body.length / room));
  const frames: string[] = [];
  for (let i = 0; i < count; i++) frames.push(`${sender}:${seq}:${i}:${count}:${body.slice(i * room, (i + 1) * room)}`);
  return frames;
}

export type Received = { sender: string; body: string };

// One per listening connection. Pieces of a body are kept until the last one arrives; a body whose pieces stop
// coming (the sender's connection died mid-send cannot happen within one transaction, but a lost listener can)
// is dropped when a newer body from the same sender completes.
export class FrameAssembler {
  private readonly partial = new Map<string, { seq: number; pieces: string[] }>();

  accept(payload: string): Received | undefined {
    const header = HEADER.exec(payload);
    if (!header) return undefined;
    const [all, sender, seqText, indexText, countText] = header;
    const seq = Number(seqText);
    const index = Number(indexText);
    const count = Number(countText);
    const piece = payload.slice(all.length);
    if (count === 1) return { sender, body: piece };
    let current = this.partial.get(sender);
    if (!current || current.seq !== seq) {
      if (index !== 0) return undefined;
      this.partial.set(sender, (current = { seq, pieces: [] }));
    }
    if (index !== current.pieces.length) {
      this.partial.delete(sender);
      return undefined;
    }
    current.pieces.push(piece);
    if (current.pieces.length < count) return undefined;
    this.partial.delete(sender);
    return { sender, body: current.pieces.join('') };
  }

  reset(): void {
    this.partial.clear();
  }
}
