/** Home: a few large choices and the card prompt. 长辈模式 shows fewer, larger choices. */
import { useEffect } from 'react';
import { NoticeBanner } from '../../shared/components.js';
import { CardPrompt } from '../card-prompt.js';
import { Icon, type IconName } from '../icons.js';
import { type Screen, useKiosk } from '../kiosk-context.js';

interface Choice {
  label: string;
  hint: string;
  icon: IconName;
  to: Screen;
  elder: boolean;
}

const CHOICES: Choice[] = [
  {
    label: '取号',
    hint: '排队取号，刷身份证更快',
    icon: 'ticket',
    to: { name: 'services', purpose: 'ticket' },
    elder: true,
  },
  { label: '预约签到', hint: '已预约的办事人签到取号', icon: 'appointment', to: { name: 'appointment' }, elder: true },
  { label: '预约', hint: '预约以后的办理时段', icon: 'appointment', to: { name: 'book' }, elder: false },
  { label: '办件查询', hint: '查看办件进度', icon: 'search', to: { name: 'cases' }, elder: true },
  { label: '办事指南', hint: '所需材料与承诺时限', icon: 'guide', to: { name: 'guide' }, elder: false },
  { label: '服务评价', hint: '对已办结的事项评价', icon: 'star', to: { name: 'evaluate' }, elder: false },
];

export function HomeScreen() {
  const { go, elder, say, printerProblem } = useKiosk();
  useEffect(() => say('欢迎。请选择要办理的事项，或直接刷身份证取号'), [say]);
  const choices = elder ? CHOICES.filter((c) => c.elder) : CHOICES;
  return (
    <section className="kiosk-home" aria-label="首页">
      {printerProblem ? <NoticeBanner>{printerProblem}：仍可取号，请记下屏幕上的号码</NoticeBanner> : null}
      <div className={`kiosk-tiles n${choices.length}`}>
        {choices.map((c, i) => (
          <button
            key={c.label}
            type="button"
            className={`kiosk-tile${i === 0 ? ' primary' : ''}`}
            onClick={() => go(c.to)}
          >
            <Icon name={c.icon} size={elder ? 96 : 80} />
            <span className="kiosk-tile-label">{c.label}</span>
            {!elder ? <span className="kiosk-tile-hint">{c.hint}</span> : null}
          </button>
        ))}
      </div>
      <CardPrompt text="取号可直接将身份证放在感应区" />
    </section>
  );
}
