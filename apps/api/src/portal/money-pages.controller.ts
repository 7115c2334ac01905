import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { can, formatPounds, UseCaseError } from '@sg/domain';
import { FundMoneyReports, PaymentRuns } from '@sg/funds';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { moneyChart } from './money-chart';
import { PageRequest, Pages } from './pages';

const CHART = { width: 900, height: 380 };
const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const readable = (date: string) => longDate.format(new Date(`${date}T00:00:00Z`));

/** The fund's money for its staff: balances, a forecast, each organisation's totals and a chart over time. */
@ApiExcludeController()
@Public()
@Controller('desk')
export class MoneyPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reports: FundMoneyReports,
    private readonly paymentRuns: PaymentRuns,
  ) {}

  /** The payment run as CSV for the finance team (the fund's officers and administrators). */
  @Get('funds/:fundId/payment-run.csv')
  async paymentRunCsv(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('fundId') fundId: string,
    @Query('dueBy') dueBy?: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const csv = await this.paymentRuns.csv(user.actor, fundId, dueBy);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="payment-run.csv"')
      .header('cache-control', 'private, no-store')
      .send(csv);
  }

  /** What finance should pay now, if this person may see it (officers and administrators). */
  private async paymentsDue(user: { actor: Parameters<PaymentRuns['lines']>[0] }, fundId: string) {
    if (!can(user.actor.role, 'read-fund-records')) return null;
    const run = await this.paymentRuns.lines(user.actor, fundId);
    return {
      summary: this.pages.t('money.payments.summary', {
        count: run.lines.length,
        total: formatPounds(run.totalPence),
        releasable: formatPounds(run.releasablePence),
      }),
      csv: `/desk/funds/${fundId}/payment-run.csv`,
    };
  }

  @Get('funds/:fundId/money')
  async money(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    // Anyone else finds no page here (the API answers 403 for the same report).
    if (!can(user.actor.role, 'view-money-report')) throw UseCaseError.notFound('The page');
    const r = await this.reports.report(user.actor, fundId);
    const chart = moneyChart({
      series: r.series,
      grantablePence: r.grantablePence,
      thresholdsBasisPoints: r.alertThresholdsBasisPoints,
      until: r.asOf,
      ...CHART,
    });
    const last = r.series.at(-1);
    const f = r.forecast;
    return this.pages.render(req, reply, 'money', {
      title: this.pages.t('money.caption'),
      user,
      fund: r.fund,
      figures: [
        { label: this.pages.t('money.total'), value: formatPounds(r.totalPence), id: 'money-total' },
        { label: this.pages.t('money.fee'), value: formatPounds(r.feePence), id: 'money-fee' },
        { label: this.pages.t('money.grantable'), value: formatPounds(r.grantablePence), id: 'money-grantable' },
        { label: this.pages.t('money.committed'), value: formatPounds(r.committedPence), id: 'money-committed' },
        { label: this.pages.t('money.disbursed'), value: formatPounds(r.disbursedPence), id: 'money-disbursed' },
        { label: this.pages.t('money.returned'), value: formatPounds(r.returnedPence), id: 'money-returned' },
        {
          label: this.pages.t('money.available'),
          value: formatPounds(r.availablePence),
          id: 'money-available',
          bold: true,
        },
      ],
      forecast: {
        text: this.pages.t('money.forecast.body', {
          used: formatPounds(r.usedPence),
          count: f.applications,
          recommended: formatPounds(f.recommendedPence),
          forecast: formatPounds(f.forecastPence),
          grantable: formatPounds(r.grantablePence),
        }),
        fits: f.fits,
        verdict: f.fits
          ? this.pages.t('money.forecast.fits', {
              margin: formatPounds(f.marginPence),
              available: formatPounds(r.availablePence),
            })
          : this.pages.t('money.forecast.short', {
              margin: formatPounds(-f.marginPence),
              available: formatPounds(r.availablePence),
            }),
        unrecommended:
          f.withoutRecommendation > 0
            ? this.pages.t('money.forecast.unrecommended', { count: f.withoutRecommendation })
            : '',
      },
      payments: await this.paymentsDue(user, r.fund.id),
      chart,
      chartDescription: this.pages.t('money.chart.desc', {
        from: readable(chart.from),
        to: readable(chart.to),
        used: formatPounds(last?.usedPence ?? 0),
        disbursed: formatPounds(last?.disbursedPence ?? 0),
        grantable: formatPounds(r.grantablePence),
        thresholds: chart.thresholds.map((t) => `${t.percent} (${t.amount})`).join(', ') || '–',
      }),
      days: r.series.map((d) => ({
        date: readable(d.date),
        used: formatPounds(d.usedPence),
        disbursed: formatPounds(d.disbursedPence),
      })),
      organisations: r.organisations.map((o) => ({
        name: o.name,
        awarded: formatPounds(o.awardedPence),
        disbursed: formatPounds(o.disbursedPence),
        returned: formatPounds(o.returnedPence),
        outstanding: formatPounds(o.outstandingPence),
      })),
      backLink: can(user.actor.role, 'use-desk') ? `/desk/funds/${r.fund.id}` : '/',
    });
  }
}
