import { EmailRenderer } from '@sg/mail';
import { EntityManager } from 'typeorm';

/** What every composer is given: where to read, how to render, the site's address (no trailing slash). */
export interface ComposeContext {
  db: Pick<EntityManager, 'query'>;
  renderer: EmailRenderer;
  publicUrl: string;
}

/** An email ready for the transport: its address and its rendered subject and bodies. */
export interface ComposedEmail {
  email: string;
  rendered: ReturnType<EmailRenderer['render']>;
}
