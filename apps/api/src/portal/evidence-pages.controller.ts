import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { can, EvidenceFigures, formatPounds, isSuppressed, Shown, UseCaseError } from '@sg/domain';
import { FundEvidenceView } from '@sg/funds';
import { FundEvidenceQueries } from '@sg/funds';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { PageRequest, Pages } from './pages';

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const readable = (date: string | null) => (date ? longDate.format(new Date(`${date}T00:00:00Z`)) : '');

/** A count as a page shows it: the number, or the catalogue's words for a suppressed one. */
interface CountCell {
  text: string;
  suppressed: boolean;
}

/**
 * The fund's evidence for its staff and its funder: the dashboard (`/desk/funds/{id}/evidence`,
 * with an area filter) and the printable pilot evaluation report (`/desk/funds/{id}/evaluation`).
 * Both read `FundEvidenceQueries`, so a funder viewer's pages carry suppressed counts only, and no
 * organisation, narrative or document.
 */
@ApiExcludeController()
@Public()
@Controller('desk')
export class EvidencePagesController {
  constructor(
    private readonly pages: Pages,
    private readonly evidence: FundEvidenceQueries,
  ) {}

  @Get('funds/:fundId/evidence')
  async dashboard(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('fundId') fundId: string,
    @Query('area') area?: string,
  ) {
    const user = await this.reader(req, reply);
    if (!user) return;
    const e = await this.evidence.evidence(user.actor, fundId, area || undefined);
    return this.pages.render(req, reply, 'evidence', {
      title: this.pages.t('evidence.caption'),
      user,
      ...this.view(e),
      areaOptions: e.areas.map((a) => ({ value: a.code, label: a.name, selected: a.code === e.area?.code })),
      moneyLink: can(user.actor.role, 'use-desk') ? `/desk/funds/${e.fund.id}/money` : null,
      evaluationLink: `/desk/funds/${e.fund.id}/evaluation`,
      backLink: this.back(user, e.fund.id),
    });
  }

  @Get('funds/:fundId/evaluation')
  async evaluation(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await this.reader(req, reply);
    if (!user) return;
    const e = await this.evidence.evidence(user.actor, fundId);
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    return this.pages.render(req, reply, 'evaluation', {
      title: t('evaluation.title'),
      user,
      ...this.view(e),
      prepared: t('evaluation.prepared', {
        date: readable(e.asOf),
        managing: e.fund.managingName ?? '',
        funder: e.fund.funderName ?? '',
      }),
      fundFacts: [
        { label: t('evaluation.funder'), value: e.fund.funderName ?? '' },
        { label: t('evaluation.managing'), value: e.fund.managingName ?? '' },
        { label: t('evaluation.areas'), value: e.areas.map((a) => a.name).join(', ') },
        {
          label: t('evaluation.applicationsOpen'),
          value: e.fund.opensOn
            ? t('evaluation.period', { from: readable(e.fund.opensOn), to: readable(e.fund.closesOn) || '–' })
            : '–',
        },
        { label: t('evaluation.programmeEnds'), value: readable(e.fund.programmeEndsOn) || '–' },
      ],
      backLink: `/desk/funds/${e.fund.id}/evidence`,
    });
  }

  /** Those who may read evidence; anyone else finds no page here (the API answers 403). */
  private async reader(req: PageRequest, reply: FastifyReply): Promise<SignedIn | null> {
    const user = await this.pages.requireUser(req, reply);
    if (user && !can(user.actor.role, 'view-evidence')) throw UseCaseError.notFound('The page');
    return user;
  }

  private back(user: SignedIn, fundId: string): string {
    return can(user.actor.role, 'use-desk') ? `/desk/funds/${fundId}` : '/';
  }

  /** Everything both pages show, with each count as text (suppressed counts in the catalogue's words). */
  private view(e: FundEvidenceView) {
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const c = (n: Shown): CountCell =>
      isSuppressed(n)
        ? { text: t(n.reason === 'fewer_than_5' ? 'evidence.fewerThan5' : 'evidence.withheld'), suppressed: true }
        : { text: n.toLocaleString('en-GB'), suppressed: false };
    const f: EvidenceFigures<Shown> = e.figures;
    const m = e.money;
    const summaryRow = (r: {
      grants: Shown;
      peopleSupported: Shown;
      reportsAccepted: Shown;
      reportsOverdue: Shown;
      awardedPence: number;
      disbursedPence: number;
      spendToDatePence: number;
    }) => ({
      grants: c(r.grants),
      people: c(r.peopleSupported),
      reports: c(r.reportsAccepted),
      overdue: c(r.reportsOverdue),
      awarded: formatPounds(r.awardedPence),
      disbursed: formatPounds(r.disbursedPence),
      spend: formatPounds(r.spendToDatePence),
    });
    const open = c(f.grantsOpenAfterEnd);
    return {
      fund: e.fund,
      area: e.area,
      suppressed: e.view === 'suppressed',
      asOf: readable(e.asOf),
      headline: [
        { id: 'evidence-grants', label: t('evidence.grants'), value: c(f.grants) },
        { id: 'evidence-people', label: t('evidence.people'), value: c(f.peopleSupported) },
        { id: 'evidence-sessions', label: t('evidence.sessions'), value: c(f.sessionsDelivered) },
        { id: 'evidence-volunteers', label: t('evidence.volunteers'), value: c(f.newVolunteers) },
        { id: 'evidence-reports', label: t('evidence.reportsAccepted'), value: c(f.reportsAccepted) },
        { id: 'evidence-overdue', label: t('evidence.reportsOverdue'), value: c(f.reportsOverdue) },
      ],
      programme: !e.fund.programmeEndsOn
        ? t('evidence.programme.none')
        : e.programmeEnded
          ? t('evidence.programme.ended', { count: open.text, date: readable(e.fund.programmeEndsOn) })
          : t('evidence.programme.notYet', { date: readable(e.fund.programmeEndsOn) }),
      programmeWarning: e.programmeEnded && (open.suppressed || f.grantsOpenAfterEnd !== 0),
      money: [
        { id: 'evidence-total', label: t('money.total'), value: formatPounds(e.fund.totalPence) },
        { id: 'evidence-fee', label: t('money.fee'), value: formatPounds(e.fund.feePence) },
        { id: 'evidence-awarded', label: t('evidence.awarded'), value: formatPounds(m.awardedPence) },
        { id: 'evidence-disbursed', label: t('money.disbursed'), value: formatPounds(m.disbursedPence) },
        { id: 'evidence-returned', label: t('money.returned'), value: formatPounds(m.returnedPence) },
        {
          id: 'evidence-spend',
          label: t('evidence.spend'),
          value:
            m.awardedPence > 0
              ? t('evidence.spendOfAwarded', {
                  spend: formatPounds(m.spendToDatePence),
                  percent: Math.round((m.spendToDatePence * 100) / m.awardedPence),
                })
              : formatPounds(m.spendToDatePence),
        },
      ],
      characteristics: f.characteristics.map((table) => ({
        id: table.id,
        label: table.label,
        rows: table.rows.map((r) => ({ label: r.label, count: c(r.count) })),
      })),
      referrals: {
        rows: f.referrals.rows.map((r) => ({
          label: r.label,
          out: c(r.out),
          in: c(r.in),
          cost: formatPounds(r.costPence),
        })),
        totalOut: c(f.referrals.totalOut),
        totalIn: c(f.referrals.totalIn),
        totalCost: formatPounds(f.referrals.totalCostPence),
      },
      outcomes: f.outcomes.map((r) => ({ label: r.label, people: c(r.people) })),
      safeguarding: [
        {
          id: 'evidence-safeguarding-raised',
          label: t('evidence.safeguarding.raised'),
          value: c(f.safeguarding.raised),
        },
        {
          id: 'evidence-safeguarding-escalated',
          label: t('evidence.safeguarding.escalated'),
          value: c(f.safeguarding.escalated),
        },
      ],
      byArea: e.byArea.map((a) => ({ name: a.name, ...summaryRow(a) })),
      byPartner: e.byPartner.map((p) => ({ name: p.name, ...summaryRow(p) })),
    };
  }
}
