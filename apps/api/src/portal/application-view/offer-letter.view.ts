import { OfferLetter } from '@sg/applications';
import { formatPounds, humanDate, londonDate, splitByPercent } from '@sg/domain';
import { Messages } from '../messages';

const day = (d: string | Date) => humanDate(londonDate(new Date(d)));

/** The offer letter as the printable page shows it. */
export function offerLetterView(letter: OfferLetter, messages: Messages) {
  const t = (k: string, p?: Record<string, unknown>) => messages.t(k, p);
  const app = letter.application;
  const awarded = app.awardedPence ?? 0;
  const amounts = splitByPercent(
    awarded,
    letter.paymentSchedule.map((p) => p.percent),
  );
  return {
    managingOrganisation: letter.managingOrganisation,
    fundName: letter.fundName,
    date: day(app.decidedAt ?? app.updatedAt),
    organisationName: app.organisation.name,
    address: letter.address.filter((l): l is string => !!l),
    reference: app.reference,
    title: app.title,
    amount: formatPounds(awarded),
    partial: app.requestedPence !== null && awarded < app.requestedPence,
    requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
    reason: letter.approvalReason ?? '',
    payments: letter.paymentSchedule.map((p, i) =>
      t(p.trigger === 'on_interim_report_accepted' ? 'letter.paymentOnInterim' : 'letter.paymentOnAcceptance', {
        percent: p.percent,
        amount: formatPounds(amounts[i]),
      }),
    ),
    conditions: letter.conditions.map((c) => ({
      ...c,
      blocksLabel: t(`blocks.${c.blocks}`),
      due: c.dueOn ? humanDate(c.dueOn) : '',
    })),
    reports: letter.reportSchedule.map((r) =>
      t(r.kind === 'final' ? 'letter.reportFinal' : 'letter.reportInterim', {
        after: messages.has(`duration.${r.dueAfter}`) ? t(`duration.${r.dueAfter}`) : r.dueAfter,
      }),
    ),
    expires: app.state === 'offered' && app.offerExpiresAt ? day(app.offerExpiresAt) : '',
    accepted: letter.accepted
      ? t('letter.acceptedBy', {
          name: letter.accepted.signatoryName,
          role: letter.accepted.signatoryRole,
          date: day(letter.accepted.at),
        })
      : '',
  };
}
