import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/create-api';
import { createWorker } from '../../apps/worker/src/create-worker';
import { publishRubricsFrom } from '../../libs/applications/src/assessment/rubrics';
import { publishFormsFrom } from '../../libs/applications/src/forms/application-forms';
import { ApiTokens } from '../../libs/identity/src/api-tokens';
import { ReceivedMail } from './smtp-sink';
import type { Clock } from '../../libs/domain/src/schedule/clock';

export interface TestUser {
  userId: string;
  token: string;
  email: string;
}

/**
 * The whole product in one test process: the API listening on a real port, the worker consuming
 * real Redis queues, PostgreSQL, and the run's SMTP server (see global-setup) that records what arrives.
 */
export class TestStack {
  api!: NestFastifyApplication;
  worker?: INestApplicationContext;
  /** Every email of the run (the sink is shared): filter by recipient or reference. */
  smtp = new ReceivedMail(process.env.TEST_MAIL_DIR ?? '');
  ds!: DataSource;
  baseUrl = '';
  readonly suffix = randomBytes(3).toString('hex');

  /**
   * `secondFactor`: STAFF_SECOND_FACTOR for this stack. Tests default to 'optional' (staff who
   * enrolled are asked for a code; the others sign in with a password); pass 'required' to test it.
   */
  static async start(
    options: { worker?: boolean; clock?: Clock; secondFactor?: 'required' | 'optional' } = {},
  ): Promise<TestStack> {
    process.env.STAFF_SECOND_FACTOR = options.secondFactor ?? 'optional';
    const s = new TestStack();
    s.api = await createApi({ logger: false, clock: options.clock });
    await s.api.listen({ port: 0, host: '127.0.0.1' });
    s.baseUrl = await s.api.getUrl();
    s.baseUrl = s.baseUrl.replace('[::1]', '127.0.0.1');
    s.ds = s.api.get<DataSource>(getDataSourceToken());
    await publishFormsFrom(s.ds, join(__dirname, '../../config/forms'));
    await publishRubricsFrom(s.ds, join(__dirname, '../../config/rubrics'));
    if (options.worker !== false) s.worker = await createWorker({ clock: options.clock });
    return s;
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
  }

  async user(
    role: 'applicant' | 'officer' | 'partner_officer' | 'panel_member' | 'funder_viewer' | 'admin',
    partnerSlug?: string,
  ): Promise<TestUser> {
    const email = `${role}-${randomBytes(4).toString('hex')}@test.example`;
    const u = await this.api
      .get(ApiTokens)
      .upsertUser({ email, displayName: `Test ${role}`, role, partnerOrganisationSlug: partnerSlug });
    return { ...u, email };
  }

  /** The pilot fund's definition with slugs made unique to this stack, so tests never share funds or officers. */
  pilotDefinition(): Record<string, any> {
    const d = JSON.parse(readFileSync(join(__dirname, '../../config/funds/cleveland-pilot.json'), 'utf8'));
    const s = this.suffix;
    d.slug = `${d.slug}-${s}-${randomBytes(2).toString('hex')}`;
    d.managingOrganisation.slug += `-${s}`;
    d.partners.forEach((p: { slug: string }) => (p.slug += `-${s}`));
    d.funder.slug += `-${s}`;
    return d;
  }

  async request<T = any>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
