/** Home: a few large choices and the card prompt. 长辈模式 shows fewer, larger choices. */
import { useEffect } from 'react';
import { t } from '../../i18n/i18n.js';
import { NoticeBanner } from '../../shared/components.js';
import { CardPrompt } from '../card-prompt.js';
import { Icon, type IconName } from '../icons.js';
import { type Screen, useKiosk } from '../kiosk-context.js';

interface Choice {
  /** Catalogue key: `kiosk.choice.<key>` and its `.hint`. */
  key: string;
  icon: IconName;
  to: Screen;
  elder: boolean;
}

const CHOICES: Choice[] = [
  { key: 'ticket', icon: 'ticket', to: { name: 'services', purpose: 'ticket' }, elder: true },
  { key: 'appointment', icon: 'appointment', to: { name: 'appointment' }, elder: true },
  { key: 'book', icon: 'appointment', to: { name: 'book' }, elder: false },
  { key: 'cases', icon: 'search', to: { name: 'cases' }, elder: true },
  { key: 'guide', icon: 'guide', to: { name: 'guide' }, elder: false },
  { key: 'evaluate', icon: 'star', to: { name: 'evaluate' }, elder: false },
];

export function HomeScreen() {
  const { go, elder, say, printerProblem, lang } = useKiosk();
  // biome-ignore lint/correctness/useExhaustiveDependencies: said again in the new language
  useEffect(() => say(t('kiosk.home.welcome')), [say, lang]);
  const choices = elder ? CHOICES.filter((c) => c.elder) : CHOICES;
  return (
    <section className="kiosk-home" aria-label={t('kiosk.home.label')}>
      {printerProblem ? (
        <NoticeBanner>{t('kiosk.home.printerProblem', { problem: printerProblem })}</NoticeBanner>
      ) : null}
      <div className={`kiosk-tiles n${choices.length}`}>
        {choices.map((c, i) => (
          <button
            key={c.key}
            type="button"
            className={`kiosk-tile${i === 0 ? ' primary' : ''}`}
            onClick={() => go(c.to)}
          >
            <Icon name={c.icon} size={elder ? 96 : 80} />
            <span className="kiosk-tile-label">{t(`kiosk.choice.${c.key}`)}</span>
            {!elder ? <span className="kiosk-tile-hint">{t(`kiosk.choice.${c.key}.hint`)}</span> : null}
          </button>
        ))}
      </div>
      <CardPrompt text={t('kiosk.home.card')} />
    </section>
  );
}
