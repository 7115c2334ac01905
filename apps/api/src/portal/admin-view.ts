import {
  DISABLE_REASONS,
  isSecurityEventKind,
  rolesWith,
  SECURITY_EVENT_KINDS,
  SecurityEventKind,
  UseCaseError,
} from '@sg/domain';
import type { SecurityEventRow, StaffMember } from '@sg/identity';

/** Builds what the administrators' pages (staff accounts, the security log) show: plain functions. */

type T = (key: string, params?: Record<string, unknown>) => string;
export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

const londonTime = (at: string | Date) =>
  new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

export function staffRows(staff: StaffMember[], t: T) {
  return staff.map((s) => ({
    id: s.id,
    displayName: s.displayName,
    email: s.email,
    role: t(`role.${s.role}`),
    partner: s.partnerOrganisation?.name ?? '',
    lastSignedIn: s.lastSignedInAt ? londonTime(s.lastSignedInAt) : t('staffAdmin.never'),
    state: t(`staffAdmin.state.${s.state}`),
    disabled: s.state === 'disabled',
  }));
}

export function staffDetail(s: StaffMember, t: T) {
  return {
    ...staffRows([s], t)[0],
    reason: s.disabledReason ? t(`staffAdmin.reason.${s.disabledReason}`) : '',
    disabledAt: s.disabledAt ? londonTime(s.disabledAt) : '',
  };
}

export function roleOptions(selected: string, t: T): Option[] {
  return rolesWith('hold-staff-account').map((r) => ({ value: r, label: t(`role.${r}`), selected: r === selected }));
}

export function partnerOptions(partners: { slug: string; name: string }[], selected: string): Option[] {
  return partners.map((p) => ({ value: p.slug, label: p.name, selected: p.slug === selected }));
}

export function reasonOptions(t: T): Option[] {
  return DISABLE_REASONS.map((r) => ({ value: r, label: t(`staffAdmin.reason.${r}`), selected: false }));
}

/** The security log's filters as the GET form sends them; the dates are days, "to" included. */
export interface EventQuery {
  kind?: string;
  person?: string;
  from?: string;
  to?: string;
  before?: string;
}

export interface EventFilter {
  kind?: SecurityEventKind;
  person?: string;
  from?: Date;
  to?: Date;
  beforeId?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function day(value: string | undefined, field: string, t: T): Date | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m = DAY.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== v) {
    const message = t('securityEvents.badDate');
    throw new UseCaseError('invalid', 'validation_failed', message, [{ field, message }]);
  }
  return d;
}

/** Reads the form; a filter that cannot be read is a field problem, never a 500. */
export function eventFilter(q: EventQuery, t: T): EventFilter {
  const kind = q.kind?.trim() || undefined;
  if (kind !== undefined && !isSecurityEventKind(kind)) {
    const message = t('securityEvents.badKind');
    throw new UseCaseError('invalid', 'validation_failed', message, [{ field: 'kind', message }]);
  }
  const from = day(q.from, 'from', t);
  const toDay = day(q.to, 'to', t);
  const before = q.before?.trim();
  return {
    kind,
    person: q.person?.trim() || undefined,
    from,
    to: toDay ? new Date(toDay.getTime() + 24 * 60 * 60 * 1000) : undefined,
    beforeId: before && /^\d{1,18}$/.test(before) ? before : undefined,
  };
}

export function kindOptions(selected: string | undefined, t: T): Option[] {
  return SECURITY_EVENT_KINDS.map((k) => ({
    value: k,
    label: t(`securityEvents.kind.${k}`),
    selected: k === selected,
  }));
}

export function eventRows(rows: SecurityEventRow[], t: T) {
  return rows.map((r) => ({
    at: londonTime(r.occurred_at),
    kind: isSecurityEventKind(r.kind) ? t(`securityEvents.kind.${r.kind}`) : r.kind,
    actor: r.actor_name ?? t('securityEvents.nobody'),
    subject: r.subject_name ?? '',
    address: r.address ?? '',
    detail: Object.entries(r.detail ?? {})
      .filter(([, v]) => v !== null && v !== '')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', '),
  }));
}

/** The link to the next (older) page: the same filters, before the last row shown. */
export function nextPageHref(q: EventQuery, lastId: string): string {
  const params = new URLSearchParams();
  for (const k of ['kind', 'person', 'from', 'to'] as const) {
    const v = q[k]?.trim();
    if (v) params.set(k, v);
  }
  params.set('before', lastId);
  return `/admin/security-events?${params.toString()}`;
}
