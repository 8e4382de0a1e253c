/**
 * The hall TV: the latest call large (with an animation for a new one), the recent calls, every
 * window's current number, the waiting counts, a scrolling notice and the time. The voice queue
 * (announcer.ts) says each call N times without cutting one off. The event stream reconnects
 * forever and resumes missed events; a display token never expires, so the screen never signs out.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiHall, HubEventOf } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { ConnectionBadge, HallClock, WINDOW_STATE_TEXT } from '../shared/components.js';
import { useHallSettings } from '../shared/hall-settings.js';
import { useHall } from '../shared/hooks.js';
import { recall, remember } from '../shared/token.js';
import { Announcer, clipSpeaker, englishAnnouncement, type Speaker, speechSynthesisSpeaker } from './announcer.js';
import { addCall, type CallEntry, callEntry, mergeSeed, seedCalls, shouldAnnounce } from './display-state.js';
import './display.css';

function playAudio(url: string): Promise<void> {
  return new Promise((resolve) => {
    const a = new Audio(url);
    a.onended = () => resolve();
    a.onerror = () => resolve();
    a.play().catch(() => resolve());
  });
}

function useAnnouncer(clips: boolean, hubUrl: string): Announcer {
  const ref = useRef<Announcer | null>(null);
  ref.current ??= new Announcer(speechSynthesisSpeaker());
  const announcer = ref.current;
  useEffect(() => {
    if (!clips) return;
    let alive = true;
    fetch(`${hubUrl}/clips/manifest.json`)
      .then((r) => (r.ok ? (r.json() as Promise<{ files: string[] }>) : { files: [] }))
      .then(({ files }) => {
        if (!alive || !files.length) return;
        const s: Speaker = clipSpeaker(hubUrl, files, speechSynthesisSpeaker(), playAudio);
        announcer.setSpeaker(s);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [clips, hubUrl, announcer]);
  return announcer;
}

function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden="true" className="d-icon">
      <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
      {muted ? (
        <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" />
      ) : (
        <path d="M16 8a5 5 0 0 1 0 8M18.5 5.5a8.5 8.5 0 0 1 0 13" stroke="currentColor" strokeWidth="2" fill="none" />
      )}
    </svg>
  );
}

export function DisplayApp() {
  const { events, identity } = useServices();
  const { hall, error } = useHall(15_000);
  const settings = useHallSettings();
  const announcer = useAnnouncer(!!settings?.clips, identity.hubUrl);
  const [calls, setCalls] = useState<CallEntry[]>([]);
  const [muted, setMuted] = useState(() => recall('display', 'muted') === '1');
  const [speaking, setSpeaking] = useState<string | null>(null);
  const hallRef = useRef<ApiHall | null>(null);
  hallRef.current = hall;
  const repeatRef = useRef(2);
  repeatRef.current = settings?.announcement.repeat ?? 2;
  const secondRef = useRef<string | undefined>(undefined);
  secondRef.current = settings?.announcement.secondLanguage;

  useEffect(() => announcer.onChange((s) => setSpeaking(s.speaking)), [announcer]);
  useEffect(() => {
    announcer.setMuted(muted);
    remember('display', 'muted', muted ? '1' : '0');
  }, [announcer, muted]);

  // What windows are calling now, under the live calls (after a load or a reconnect).
  useEffect(() => {
    if (hall) setCalls((live) => mergeSeed(live, seedCalls(hall)));
  }, [hall]);

  useEffect(() => {
    const nameOf = (no: number) => hallRef.current?.windows.find((w) => w.no === no)?.name ?? `${no}号窗口`;
    const onCall = (e: HubEventOf<'ticket.called'> | HubEventOf<'ticket.recalled'>) => {
      setCalls((list) =>
        addCall(list, callEntry(e.ticket, e.windowNo, e.at, e.seq, nameOf, e.type === 'ticket.recalled')),
      );
      if (shouldAnnounce(e.at, Date.now())) {
        announcer.enqueue({ text: e.announcement, repeat: repeatRef.current });
        // Chinese first, always; a second language only when the hall config adds one.
        if (secondRef.current === 'en')
          announcer.enqueue({ text: englishAnnouncement(e.ticket.number, e.windowNo), repeat: 1, lang: 'en-US' });
      }
    };
    const offs = [events.on('ticket.called', onCall), events.on('ticket.recalled', onCall)];
    return () => {
      for (const o of offs) o();
    };
  }, [events, announcer]);

  const latest = calls[0] ?? null;
  const recent = calls.slice(1, 6);
  const serviceName = useMemo(() => new Map(hall?.services.map((s) => [s.code, s.name]) ?? []), [hall]);
  const notice = settings?.notice.length ? settings.notice.join('　　') : '请留意叫号，过号请到窗口说明。';

  return (
    <div className="display">
      <header className="d-header">
        <h1 className="d-title">{hall?.name ?? '大厅叫号'}</h1>
        <HallClock className="d-clock" />
        <div className="d-controls">
          <ConnectionBadge />
          <button
            type="button"
            role="switch"
            aria-checked={!muted}
            className={`d-mute ${muted ? 'off' : 'on'}`}
            onClick={() => setMuted((m) => !m)}
          >
            <SpeakerIcon muted={muted} /> 语音播报：{muted ? '已静音' : '开'}
          </button>
        </div>
      </header>

      {error && !hall ? (
        <p className="d-error" role="alert">
          {error}
        </p>
      ) : null}

      <main className="d-main">
        <section className="d-latest" aria-label="最新叫号" aria-live="assertive">
          {latest ? (
            <div key={latest.key} className="d-latest-card flash" data-testid="latest-call">
              <div className="d-latest-label">{latest.recall ? '再次呼叫' : '请'}</div>
              <div className="d-latest-line">
                <span className="d-latest-number">{latest.number}</span>
                <span className="d-arrow" aria-hidden="true">
                  ➜
                </span>
                <span className="d-latest-window">{latest.windowNo}号窗口</span>
              </div>
              <div className="d-latest-sub">
                {latest.windowName}
                {serviceName.get(latest.serviceCode) ? ` · ${serviceName.get(latest.serviceCode)}` : ''}
              </div>
            </div>
          ) : (
            <div className="d-latest-card empty">
              <div className="d-latest-sub">欢迎光临，请取号后留意叫号</div>
            </div>
          )}
          {speaking ? (
            <p className="d-speaking" aria-hidden="true">
              正在播报：{speaking}
            </p>
          ) : null}
        </section>

        <section className="d-recent" aria-label="最近叫号">
          <h2>最近叫号</h2>
          <ol>
            {recent.map((c) => (
              <li key={c.key}>
                <span className="d-recent-number">{c.number}</span>
                <span className="d-recent-window">{c.windowNo}号窗口</span>
              </li>
            ))}
            {recent.length === 0 ? <li className="d-recent-empty">暂无</li> : null}
          </ol>
        </section>

        <section className="d-windows" aria-label="各窗口">
          <h2>各窗口当前号码</h2>
          <ul>
            {hall?.windows.map((w) => {
              const active = w.current && (w.state === 'calling' || w.state === 'serving');
              return (
                <li key={w.no} className={`d-window ${w.state}`}>
                  <span className="d-window-no">{w.no}号</span>
                  <span className="d-window-name">{w.name}</span>
                  <span className="d-window-current">{active ? w.current!.number : '—'}</span>
                  <span className="d-window-state">
                    {w.state === 'paused' && w.pauseReason
                      ? `${WINDOW_STATE_TEXT.paused}：${w.pauseReason}`
                      : WINDOW_STATE_TEXT[w.state]}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>

        <section className="d-waiting" aria-label="等候人数">
          <h2>等候人数</h2>
          <ul>
            {hall?.services.map((s) => (
              <li key={s.code}>
                <span className="d-wait-name">{s.name}</span>
                <span className="d-wait-count">
                  <b>{s.waiting}</b> 人
                </span>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <section className="d-notice" aria-label="公告">
        <div className="d-marquee">
          <span>{notice}</span>
          <span aria-hidden="true">{notice}</span>
        </div>
      </section>
    </div>
  );
}
