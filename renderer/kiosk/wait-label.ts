/** The estimated wait in the kiosk's language (the shared `waitText` stays Chinese for staff screens). */
import { t } from '../i18n/i18n.js';

export function waitLabel(seconds: number): string {
  if (seconds <= 0) return t('kiosk.wait.none');
  const m = Math.max(1, Math.round(seconds / 60));
  return m >= 60 ? t('kiosk.wait.hours', { h: Math.floor(m / 60), m: m % 60 }) : t('kiosk.wait.minutes', { m });
}
