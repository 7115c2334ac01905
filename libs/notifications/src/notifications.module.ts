import { Module } from '@nestjs/common';
import { MailModule } from '@sg/mail';
import { SendEmailUseCase } from './send-email.use-case';

@Module({ imports: [MailModule], providers: [SendEmailUseCase], exports: [SendEmailUseCase, MailModule] })
export class NotificationsModule {}
