// A request's outcome and error kind (`failed`, `server`, `rateLimited`, … as stored in its metrics) in words of the
// display language, for the API health report and the status bar's health lines. The stored ids stay in the exports
// (data, not UI); a kind this version does not know (a newer Tally may add kinds) is shown as its id.
import * as l10n from '@vscode/l10n';
import type { ErrorKind } from '../../shared/errors';
import type { RequestMetric } from './requestMetric';

export function errorKindText(kind: string): string {
  switch (kind as ErrorKind) {
    case 'auth':
      return l10n.t('API key refused');
    case 'quota':
      return l10n.t('Quota used up');
    case 'rateLimited':
      return l10n.t('Rate limited');
    case 'contextTooLong':
      return l10n.t('Context too long');
    case 'modelNotFound':
      return l10n.t('Model not found');
    case 'badRequest':
      return l10n.t('Request refused');
    case 'server':
      return l10n.t('Server error');
    case 'network':
      return l10n.t('Network error');
    case 'timeout':
      return l10n.t('Timed out');
    case 'replyTooLarge':
      return l10n.t('Reply too large');
    case 'cancelled':
      return l10n.t('Cancelled');
    case 'noApiKey':
      return l10n.t('No API key');
    case 'endpointRefused':
      return l10n.t('Endpoint refused');
    case 'budget':
      return l10n.t('Over budget');
    case 'unknown':
      return l10n.t('Unknown error');
    default:
      return kind;
  }
}

/** A request's outcome in words (the CSV and JSON keep the stored id). */
export function outcomeText(outcome: RequestMetric['outcome']): string {
  switch (outcome) {
    case 'complete':
      return l10n.t({ message: 'complete', comment: ['A request that was answered in full.'] });
    case 'stopped':
      return l10n.t({ message: 'stopped', comment: ['A request the user stopped.'] });
    case 'interrupted':
      return l10n.t({ message: 'interrupted', comment: ['A reply that broke off before its end.'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['A request that got no reply.'] });
  }
}
