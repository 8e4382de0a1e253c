import { describe, expect, it } from 'vitest';
import { Announcer, clipSpeaker, englishAnnouncement, type Speaker } from './announcer.js';

/** A speaker whose utterances end only when the test says so; it records starts, ends and cancels. */
function fakeSpeaker() {
  const log: string[] = [];
  const open: { text: string; end: () => void }[] = [];
  let cancels = 0;
  const s: Speaker = {
    speak(text) {
      log.push(`start ${text}`);
      return new Promise<void>((resolve) => {
        open.push({
          text,
          end: () => {
            log.push(`end ${text}`);
            resolve();
          },
        });
      });
    },
    cancel() {
      cancels++;
      log.push('cancel');
    },
  };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return {
    s,
    log,
    get cancels() {
      return cancels;
    },
    /** Ends the utterance being spoken now, then lets the queue move on. */
    async finishCurrent() {
      await tick();
      const u = open.shift();
      if (!u) throw new Error('nothing is being spoken');
      u.end();
      await tick();
    },
    get speakingNow() {
      return open[0]?.text ?? null;
    },
  };
}

const fast = { gapMs: 0, sleep: () => new Promise<void>((r) => setTimeout(r, 0)) };

describe('Announcer', () => {
  it('says each call N times and never cuts one off for the next', async () => {
    const f = fakeSpeaker();
    const a = new Announcer(f.s, fast);
    a.enqueue({ text: '请A001号到1号窗口办理', repeat: 2 });
    await new Promise((r) => setTimeout(r, 0));
    // The next call arrives while the first is still being spoken.
    a.enqueue({ text: '请B002号到5号窗口办理', repeat: 2 });
    a.enqueue({ text: '请C003号到6号窗口办理', repeat: 1 });
    expect(f.speakingNow).toBe('请A001号到1号窗口办理');
    for (let i = 0; i < 5; i++) await f.finishCurrent();
    await a.idle();
    expect(f.cancels).toBe(0);
    expect(f.log).toEqual([
      'start 请A001号到1号窗口办理',
      'end 请A001号到1号窗口办理',
      'start 请A001号到1号窗口办理',
      'end 请A001号到1号窗口办理',
      'start 请B002号到5号窗口办理',
      'end 请B002号到5号窗口办理',
      'start 请B002号到5号窗口办理',
      'end 请B002号到5号窗口办理',
      'start 请C003号到6号窗口办理',
      'end 请C003号到6号窗口办理',
    ]);
    expect(a.spoken).toHaveLength(5);
  });

  it('clamps the repeat count to 1–5', async () => {
    const spoken: string[] = [];
    const a = new Announcer({ speak: async (t) => void spoken.push(t), cancel() {} }, fast);
    a.enqueue({ text: 'x', repeat: 9 });
    a.enqueue({ text: 'y', repeat: 0 });
    await a.idle();
    expect(spoken).toEqual(['x', 'x', 'x', 'x', 'x', 'y']);
  });

  it('mute stops the current call and forgets the queue; after unmute only new calls are spoken', async () => {
    const f = fakeSpeaker();
    const a = new Announcer(f.s, fast);
    const states: boolean[] = [];
    a.onChange((s) => states.push(s.muted));
    a.enqueue({ text: 'one', repeat: 3 });
    a.enqueue({ text: 'two', repeat: 1 });
    await new Promise((r) => setTimeout(r, 0));
    a.setMuted(true);
    expect(f.cancels).toBe(1);
    expect(a.pending).toBe(0);
    a.enqueue({ text: 'while muted', repeat: 1 });
    await f.finishCurrent(); // the engine reports the cancelled utterance as ended
    a.setMuted(false);
    a.enqueue({ text: 'three', repeat: 1 });
    await f.finishCurrent();
    await a.idle();
    expect(a.spoken).toEqual(['one', 'three']);
    expect(states).toContain(true);
    expect(a.isMuted).toBe(false);
  });

  it('moves on when the speech engine never ends or fails', async () => {
    let n = 0;
    const stuck: Speaker = {
      speak: (t) => {
        n++;
        if (t === 'fails') return Promise.reject(new Error('synthesis-failed'));
        return t === 'stuck' ? new Promise<void>(() => {}) : Promise.resolve();
      },
      cancel() {},
    };
    const a = new Announcer(stuck, { ...fast, maxUtteranceMs: () => 20 });
    a.enqueue({ text: 'stuck', repeat: 1 });
    a.enqueue({ text: 'fails', repeat: 1 });
    a.enqueue({ text: 'fine', repeat: 1 });
    await a.idle();
    expect(a.spoken).toEqual(['stuck', 'fails', 'fine']);
    expect(n).toBe(3);
  });

  it('keeps at most maxPending calls waiting (a burst after an outage)', async () => {
    const f = fakeSpeaker();
    const a = new Announcer(f.s, { ...fast, maxPending: 2 });
    a.enqueue({ text: 'first', repeat: 1 });
    await new Promise((r) => setTimeout(r, 0));
    for (const t of ['a', 'b', 'c', 'd']) a.enqueue({ text: t, repeat: 1 });
    expect(a.pending).toBe(2);
    for (let i = 0; i < 3; i++) await f.finishCurrent();
    await a.idle();
    expect(a.spoken).toEqual(['first', 'c', 'd']);
  });
});

describe('clipSpeaker', () => {
  it('plays one clip per character when all exist, otherwise falls back', async () => {
    const played: string[] = [];
    const fallback: string[] = [];
    const s = clipSpeaker(
      'http://hub',
      ['请.mp3', 'A.mp3', '0.mp3', '1.mp3', '号.mp3', '到.mp3', '窗.mp3', '口.mp3', '办.mp3', '理.mp3'],
      { speak: async (t) => void fallback.push(t), cancel() {} },
      async (u) => void played.push(decodeURIComponent(u.slice('http://hub/clips/'.length))),
    );
    expect(s.covers('请A001号到1号窗口办理')).toBe(true);
    await s.speak('请a001号到1号窗口办理');
    expect(played.map((f) => f.replace('.mp3', '')).join('')).toBe('请A001号到1号窗口办理');
    await s.speak('请B002号');
    expect(fallback).toEqual(['请B002号']);
  });
});

describe('a second announcement language (config announcement.secondLanguage)', () => {
  it('speaks the English call after the Chinese one, in English, and never through the Chinese clips', async () => {
    const said: [string, string | undefined][] = [];
    const synth: Speaker = {
      speak: async (text, lang) => {
        said.push([text, lang]);
      },
      cancel: () => undefined,
    };
    const played: string[] = [];
    const clips = clipSpeaker('', ['请.mp3', 'A.mp3', '0.mp3', '1.mp3', '2.mp3', '号.mp3'], synth, async (u) => {
      played.push(u);
    });
    const a = new Announcer(clips, { gapMs: 0, sleep: async () => undefined });
    a.enqueue({ text: '请A012号', repeat: 1 });
    a.enqueue({ text: englishAnnouncement('A012', 3), repeat: 1, lang: 'en-US' });
    for (let i = 0; i < 20 && said.length === 0; i++) await new Promise((r) => setTimeout(r, 0));
    expect(played.length).toBe(6); // 请 A 0 1 2 号, from the clips
    expect(said).toEqual([['Number A 0 1 2, please go to window 3.', 'en-US']]);
  });
});
