/**
 * Spoken prompts through speechSynthesis, one after another: a new prompt waits for the one being
 * spoken (a call is never cut off). `interrupt` is for the kiosk, where the newest step matters more
 * than the previous one. Silently does nothing where speechSynthesis is missing.
 */
export interface SpeechQueueOptions {
  lang?: string;
  rate?: number;
  synth?: SpeechSynthesis | null;
  Utterance?: typeof SpeechSynthesisUtterance;
}

export class SpeechQueue {
  private queue: string[] = [];
  private speaking = false;
  private muted = false;
  private readonly synth: SpeechSynthesis | null;
  private readonly Utterance: typeof SpeechSynthesisUtterance | null;
  /** Everything asked to be spoken (for tests and the admin preview). */
  readonly log: string[] = [];

  constructor(private readonly opts: SpeechQueueOptions = {}) {
    this.synth = opts.synth !== undefined ? opts.synth : (globalThis.speechSynthesis ?? null);
    this.Utterance = opts.Utterance ?? globalThis.SpeechSynthesisUtterance ?? null;
  }

  setMuted(m: boolean): void {
    this.muted = m;
    if (m) this.cancel();
  }

  say(text: string, { interrupt = false, repeat = 1 }: { interrupt?: boolean; repeat?: number } = {}): void {
    this.log.push(text);
    if (this.log.length > 50) this.log.shift();
    if (this.muted) return;
    if (interrupt) this.cancel();
    for (let i = 0; i < repeat; i++) this.queue.push(text);
    this.next();
  }

  cancel(): void {
    this.queue = [];
    this.speaking = false;
    try {
      this.synth?.cancel();
    } catch {
      // A broken speech engine must not break the screen.
    }
  }

  private next() {
    if (this.speaking || !this.synth || !this.Utterance) {
      if (!this.synth || !this.Utterance) this.queue = [];
      return;
    }
    const text = this.queue.shift();
    if (text === undefined) return;
    this.speaking = true;
    const u = new this.Utterance(text);
    u.lang = this.opts.lang ?? 'zh-CN';
    u.rate = this.opts.rate ?? 0.9;
    const done = () => {
      this.speaking = false;
      this.next();
    };
    u.onend = done;
    u.onerror = done;
    try {
      this.synth.speak(u);
    } catch {
      done();
    }
  }
}
