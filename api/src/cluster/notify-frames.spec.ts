import { asciiJson, encodeFrames, FrameAssembler, MAX_FRAME_BYTES } from './notify-frames';

describe('NOTIFY frames', () => {
  it('should keep every frame under the payload limit and give the body back whole when it is cut', () => {
    const body = asciiJson([{ text: 'ünïcødé ₹ 🚀'.repeat(2000) }]);
    const frames = encodeFrames('abc123', 7, body);
    expect(frames.length).toBeGreaterThan(5);
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const assembler = new FrameAssembler();
    const results = frames.map((f) => assembler.accept(f));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual({ sender: 'abc123', body });
    expect(JSON.parse(results.at(-1)!.body)).toEqual([{ text: 'ünïcødé ₹ 🚀'.repeat(2000) }]);
  });

  it('should pass a small body in one frame', () => {
    expect(new FrameAssembler().accept(encodeFrames('s1', 1, '[1]')[0])).toEqual({ sender: 's1', body: '[1]' });
  });

  it("should drop a body whose pieces came incomplete when the sender's next body starts", () => {
    const assembler = new FrameAssembler();
    const first = encodeFrames('s1', 1, 'x'.repeat(20_000));
    assembler.accept(first[0]);
    const second = encodeFrames('s1', 2, 'y'.repeat(20_000));
    const results = second.map((f) => assembler.accept(f));
    expect(results.at(-1)).toEqual({ sender: 's1', body: 'y'.repeat(20_000) });
    expect(assembler.accept(first[1])).toBeUndefined();
  });

  it('should ignore a payload that is not a frame', () => {
    expect(new FrameAssembler().accept('hello')).toBeUndefined();
  });
});
