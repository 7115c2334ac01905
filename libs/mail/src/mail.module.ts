import { Module } from '@nestjs/common';
import { AppConfig } from '@sg/config';
import { EmailRenderer } from './email-renderer';
import { folderTransport, smtpTransport } from './mail-transport';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

@Module({
  providers: [
    { provide: EmailRenderer, useFactory: () => new EmailRenderer() },
    {
      provide: MAIL_TRANSPORT,
      inject: [AppConfig],
      useFactory: (c: AppConfig) =>
        c.SMTP_URL ? smtpTransport(c.SMTP_URL, c.MAIL_FROM) : folderTransport(c.MAIL_SINK_DIR, c.MAIL_FROM),
    },
  ],
  exports: [EmailRenderer, MAIL_TRANSPORT],
})
export class MailModule {}
