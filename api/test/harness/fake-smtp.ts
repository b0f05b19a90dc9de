import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; html: string };

// A local SMTP server (the smtp-server package) that keeps every message it accepts, parsed, and can refuse the
// next ones with an SMTP reply code.
export class FakeSmtp {
  readonly mails: ReceivedMail[] = [];
  private readonly refusals: number[] = [];
  url = '';

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<FakeSmtp> {
    let fake!: FakeSmtp;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const refusal = fake.refusals.shift();
        simpleParser(stream).then((parsed) => {
          if (refusal) {
            const error = Object.assign(new Error(refusal >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
              responseCode: refusal,
            });
            return callback(error);
          }
          fake.mails.push({
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        }, callback);
      },
    });
    fake = new FakeSmtp(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    return fake;
  }

  refuseNext(code: number, times = 1): void {
    for (let i = 0; i < times; i += 1) this.refusals.push(code);
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async waitFor(
    address: string,
    predicate: (mail: ReceivedMail) => boolean = () => true,
    timeoutMs = 8000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.to(address).find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(
          `no mail to ${address} matched; got: ${JSON.stringify(this.to(address).map((m) => m.subject))}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
