import type { Transporter } from 'nodemailer';

// An SMTP failure: `permanent` for a 5xx reply (the address or message is refused and will be again)
export class EmailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'EmailError';
  }
}

export type Email = { to: string; subject: string; text: string; html: string };

// Email over SMTP_URL with nodemailer, from EMAIL_FROM. Errors are reduced to a message without credentials.
export class EmailTransport {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Loaded only when email is configured: it adds ~0.1 s to every start otherwise
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodemailer = require('nodemailer') as typeof import('nodemailer');
    this.transporter = nodemailer.createTransport(smtpUrl, { from });
  }

  async send(email: Email): Promise<void> {
    try {
      await this.transporter.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
      });
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
      const code = e.responseCode;
      const reason = e.response ?? e.code ?? 'send failed';
      throw new EmailError(
        `SMTP ${code ?? ''} ${reason}`.replace(/\s+/g, ' ').trim().slice(0, 300),
        code !== undefined && code >= 500,
      );
    }
  }

  close(): void {
    this.transporter.close();
  }
}
