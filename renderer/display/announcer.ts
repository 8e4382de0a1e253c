/**
 * The hall's voice: call announcements spoken one after another, each repeated N times, never cut
 * off by the next call (the top complaint about other systems). Pure logic over a `Speaker`, so the
 * order, the repeats, muting and a stuck speech engine are unit-tested with a fake speaker.
 */

/** Something that can say one text and tell when it has finished (speechSynthesis, audio clips). */
export interface Speaker {
  /**
   * Resolves when the text has been spoken (or rejects: the queue moves on either way). `lang`:
   * the language of the text when it is not the hall's Chinese (a second-language announcement).
   */
  speak(text: string, lang?: string): Promise<void>;
  /** Stops whatever is being spoken now (used only by mute). */
  cancel(): void;
}

export interface Announcement {
  text: string;
  /** How many times to say it (the hall config's announcement.repeat, 1–5). */
  repeat: number;
  /** BCP 47 language of the text; absent = Chinese. */
  lang?: string;
}

export interface AnnouncerOptions {
  /** Silence between two utterances (ms). */
  gapMs?: number;
  /** Longest an utterance may take before it is given up (a speech engine that never ends). */
  maxUtteranceMs?: (text: string) => number;
  /** Most announcements waiting; older ones beyond it are dropped (a burst after a long outage). */
  maxPending?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type AnnouncerListener = (state: { speaking: string | null; pending: number; muted: boolean }) => void;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Announcer {
  private queue: { text: string; left: number; lang?: string | undefined }[] = [];
  private current: string | null = null;
  private running = false;
  private muted = false;
  private listeners = new Set<AnnouncerListener>();
  /** Every utterance started, in order (tests and the on-screen "正在播报"). */
  readonly spoken: string[] = [];
  private readonly gapMs: number;
  private readonly maxMs: (text: string) => number;
  private readonly maxPending: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private speaker: Speaker,
    opts: AnnouncerOptions = {},
  ) {
    this.gapMs = opts.gapMs ?? 600;
    this.maxMs = opts.maxUtteranceMs ?? ((t) => 8000 + t.length * 400);
    this.maxPending = opts.maxPending ?? 20;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Swaps the speaker (e.g. clips found after start); takes effect from the next utterance. */
  setSpeaker(s: Speaker): void {
    this.speaker = s;
  }

  get isMuted(): boolean {
    return this.muted;
  }
  get pending(): number {
    return this.queue.length;
  }
  get speaking(): string | null {
    return this.current;
  }

  onChange(l: AnnouncerListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Queues an announcement behind everything already queued; never interrupts. */
  enqueue(a: Announcement): void {
    if (this.muted || !a.text.trim()) return;
    const repeat = Math.max(1, Math.min(5, Math.floor(a.repeat) || 1));
    this.queue.push({ text: a.text, left: repeat, ...(a.lang ? { lang: a.lang } : {}) });
    while (this.queue.length > this.maxPending) this.queue.shift();
    this.emit();
    void this.run();
  }

  /** Muting stops the current utterance and forgets the queue; unmuting speaks only new calls. */
  setMuted(m: boolean): void {
    if (m === this.muted) return;
    this.muted = m;
    if (m) {
      this.queue = [];
      try {
        this.speaker.cancel();
      } catch {
        // A broken speech engine must not break the display.
      }
    }
    this.emit();
  }

  /** Resolves when nothing is queued or being spoken (tests). */
  async idle(): Promise<void> {
    for (let i = 0; i < 10_000 && (this.running || this.queue.length); i++) await this.sleep(5);
  }

  private emit() {
    const s = { speaking: this.current, pending: this.queue.length, muted: this.muted };
    for (const l of this.listeners) l(s);
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const head = this.queue[0];
        if (!head || this.muted) break;
        head.left -= 1;
        if (head.left <= 0) this.queue.shift();
        this.current = head.text;
        this.spoken.push(head.text);
        this.emit();
        await this.speakBounded(head.text, head.lang);
        this.current = null;
        this.emit();
        if (this.queue.length && !this.muted) await this.sleep(this.gapMs);
      }
    } finally {
      this.current = null;
      this.running = false;
      this.emit();
    }
  }

  private async speakBounded(text: string, lang?: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        try {
          this.speaker.cancel();
        } catch {
          // ignore
        }
        resolve();
      }, this.maxMs(text));
    });
    try {
      await Promise.race([this.speaker.speak(text, lang).catch(() => undefined), limit]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

/**
 * A call in English, for halls whose config adds it (`announcement.secondLanguage: en`): spoken
 * after the Chinese one, the number letter by letter so a speech engine does not read "A012" as a word.
 */
export function englishAnnouncement(number: string, windowNo: number): string {
  return `Number ${number.split('').join(' ')}, please go to window ${windowNo}.`;
}

/** speechSynthesis as a Speaker: resolves on `end` or `error`. */
export function speechSynthesisSpeaker(
  synth: SpeechSynthesis | null = globalThis.speechSynthesis ?? null,
  Utterance: typeof SpeechSynthesisUtterance | null = globalThis.SpeechSynthesisUtterance ?? null,
  opts: { lang?: string; rate?: number } = {},
): Speaker {
  return {
    speak(text, lang) {
      if (!synth || !Utterance) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const u = new Utterance(text);
        u.lang = lang ?? opts.lang ?? 'zh-CN';
        u.rate = opts.rate ?? 0.9;
        u.onend = () => resolve();
        u.onerror = () => resolve();
        try {
          synth.speak(u);
        } catch {
          resolve();
        }
      });
    },
    cancel() {
      synth?.cancel();
    },
  };
}

/**
 * Recorded clips as a Speaker: the hub's clip folder (`/clips/manifest.json` lists the files) has
 * one clip per character or digit/letter (`请.mp3`, `A.mp3`, `1.mp3` …). A text is spoken by clips
 * only when every character has one; otherwise `fallback` says it.
 */
export function clipSpeaker(
  baseUrl: string,
  files: string[],
  fallback: Speaker,
  play: (url: string) => Promise<void>,
): Speaker & { covers(text: string): boolean } {
  const byChar = new Map<string, string>();
  for (const f of files) {
    const name = f.replace(/\.[a-z0-9]+$/i, '');
    if ([...name].length === 1) byChar.set(name.toUpperCase(), f);
  }
  const chars = (text: string) => [...text.replace(/\s+/g, '')].map((c) => c.toUpperCase());
  const covers = (text: string) => chars(text).every((c) => byChar.has(c));
  let cancelled = false;
  return {
    covers,
    async speak(text, lang) {
      // The clips are the hall's Chinese voice: another language is spoken by speech synthesis.
      if ((lang && !lang.startsWith('zh')) || !covers(text)) return fallback.speak(text, lang);
      cancelled = false;
      for (const c of chars(text)) {
        if (cancelled) return;
        await play(`${baseUrl}/clips/${encodeURIComponent(byChar.get(c)!)}`);
      }
    },
    cancel() {
      cancelled = true;
      fallback.cancel();
    },
  };
}
