import { Module } from '@nestjs/common';
import { MailModule } from '@sg/mail';
import { DailyDigests } from './daily-digests';
import { SendEmailUseCase } from './send-email.use-case';

@Module({
  imports: [MailModule],
  providers: [SendEmailUseCase, DailyDigests],
  exports: [SendEmailUseCase, DailyDigests, MailModule],
})
export class NotificationsModule {}
