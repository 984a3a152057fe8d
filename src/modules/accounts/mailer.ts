import nodemailer, { type Transporter } from 'nodemailer';
import type { AccountRepository } from '../../db/repositories/account.repository';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends email through SMTP (nodemailer) when TRELLIS_SMTP_URL is set. Every email is also recorded in the `emails`
 * table; with no SMTP server that table is the outbox, shown at /dev/outbox in development.
 */
export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly options: { smtpUrl?: string | undefined; from: string },
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  }

  async send(email: Email): Promise<void> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.options.from, to: email.to, subject: email.subject, text: email.text });
      await this.accounts.recordEmail({ ...email, transport: 'smtp', sentAt: new Date() });
    } else {
      await this.accounts.recordEmail({ ...email, transport: 'outbox', sentAt: null });
    }
  }

  close(): void {
    this.transport?.close();
  }
}
