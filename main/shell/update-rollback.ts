/**
 * Falling back to the previous version when an update does not start (docs/deployment.md 更新).
 * The terminal keeps the installer of the version it runs and of the one before; every start is
 * written down, and a start counts as good once the terminal has stayed up for a while. A version
 * that starts `maxFailedStarts` times within `windowMs` without ever staying up — a crash loop the
 * watchdog or systemd keeps restarting — is rolled back: the previous version's installer is run,
 * and the bad version is never installed again (a newer one is).
 *
 * Pure: the journal is plain data; the adapter reads and writes it, copies installers and runs them.
 */

export interface KeptRelease {
  version: string;
  /** The kept installer (an absolute path in the terminal's data folder). */
  file: string;
}

export interface StartJournal {
  v: 1;
  /** The installers kept to fall back to: the running version's and the previous one's. */
  kept: KeptRelease[];
  /** Starts since the last good one: the version and when. */
  starts: { version: string; at: number }[];
  /** The last version that stayed up, and the one that did before it (whose installer stays kept). */
  lastGood: string | null;
  previousGood: string | null;
  /** Versions rolled back from: never installed again. */
  refused: string[];
}

export const emptyJournal = (): StartJournal => ({
  v: 1,
  kept: [],
  starts: [],
  lastGood: null,
  previousGood: null,
  refused: [],
});

/** A journal read from disk, or an empty one when it is missing or not one. */
export function readJournal(value: unknown): StartJournal {
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== 1) return emptyJournal();
  const j = value as Partial<StartJournal>;
  const str = (x: unknown): x is string => typeof x === 'string';
  return {
    v: 1,
    kept: Array.isArray(j.kept) ? j.kept.filter((k) => k && str(k.version) && str(k.file)) : [],
    starts: Array.isArray(j.starts) ? j.starts.filter((s) => s && str(s.version) && typeof s.at === 'number') : [],
    lastGood: str(j.lastGood) ? j.lastGood : null,
    previousGood: str(j.previousGood) ? j.previousGood : null,
    refused: Array.isArray(j.refused) ? j.refused.filter(str) : [],
  };
}

export interface RollbackOptions {
  /** Starts without staying up that make a crash loop (default 3). */
  maxFailedStarts?: number;
  /** Within this long (default 15 minutes). */
  windowMs?: number;
}

export type StartDecision =
  | { kind: 'run' }
  /** Run the kept installer of `to`; `from` is refused from now on. */
  | { kind: 'roll-back'; from: string; to: KeptRelease }
  /** A crash loop, but nothing kept to fall back to: keep running (and being restarted). */
  | { kind: 'no-fallback'; version: string; failedStarts: number };

/** Writes down a start of `version` and decides whether to run it or go back. */
export function recordStart(
  journal: StartJournal,
  version: string,
  now: number,
  o: RollbackOptions = {},
): { journal: StartJournal; decision: StartDecision } {
  const max = o.maxFailedStarts ?? 3;
  const windowMs = o.windowMs ?? 15 * 60_000;
  // Only this version's recent starts count: another version's were a different story.
  const starts = [
    ...journal.starts.filter((s) => s.version === version && now - s.at < windowMs),
    { version, at: now },
  ];
  const next: StartJournal = { ...journal, starts };
  // A version that once stayed up and now crashes is not an update gone wrong: recovery's business.
  if (starts.length < max || version === journal.lastGood) return { journal: next, decision: { kind: 'run' } };
  const to = fallbackFor(journal, version);
  if (!to) return { journal: next, decision: { kind: 'no-fallback', version, failedStarts: starts.length } };
  return {
    journal: { ...next, starts: [], refused: [...new Set([...journal.refused, version])] },
    decision: { kind: 'roll-back', from: version, to },
  };
}

/** The kept release to go back to: the last good version's, else the newest other one kept. */
function fallbackFor(journal: StartJournal, bad: string): KeptRelease | null {
  const others = journal.kept.filter((k) => k.version !== bad && !journal.refused.includes(k.version));
  return others.find((k) => k.version === journal.lastGood) ?? others.at(-1) ?? null;
}

/** `a` is a later version than `b` (the numbers of `major.minor.patch`; a pre-release counts as its release). */
export function isLater(a: string, b: string): boolean {
  const nums = (v: string) => (v.split(/[-+]/)[0] ?? '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
}

/**
 * `version` stayed up: its starts are forgotten, it is the last good one, and the installers kept
 * are its own, the previous good version's and any later one downloaded and waiting to be
 * installed. Answers the files no longer kept (to delete).
 */
export function recordGood(journal: StartJournal, version: string): { journal: StartJournal; drop: string[] } {
  const previousGood = journal.lastGood === version ? journal.previousGood : journal.lastGood;
  const stays = (v: string) => v === version || v === previousGood || isLater(v, version);
  const kept = journal.kept.filter((k) => stays(k.version));
  const drop = journal.kept.filter((k) => !stays(k.version)).map((k) => k.file);
  return { journal: { ...journal, starts: [], lastGood: version, previousGood, kept }, drop };
}

/** A downloaded (or running) installer of `version` is kept; an older copy of it is replaced. */
export function keepRelease(journal: StartJournal, release: KeptRelease): { journal: StartJournal; drop: string[] } {
  const old = journal.kept.filter((k) => k.version === release.version && k.file !== release.file).map((k) => k.file);
  return {
    journal: { ...journal, kept: [...journal.kept.filter((k) => k.version !== release.version), release] },
    drop: old,
  };
}

export const isRefused = (journal: StartJournal, version: string) => journal.refused.includes(version);

/** How a kept installer is put back, by its kind. */
export type RollbackCommand =
  /** NSIS: the installer, silent, starting the terminal when done (electron-updater's own flags). */
  | { kind: 'run'; file: string; args: string[] }
  /** AppImage: the kept file replaces the running one, which is then started again. */
  | { kind: 'replace-appimage'; from: string; to: string };

export function rollbackCommand(kept: KeptRelease, appImage: string | null): RollbackCommand | null {
  const f = kept.file;
  if (f.endsWith('.exe')) return { kind: 'run', file: f, args: ['--updated', '/S', '--force-run'] };
  if (f.endsWith('.deb')) return { kind: 'run', file: 'pkexec', args: ['dpkg', '-i', f] };
  if (f.endsWith('.AppImage') && appImage) return { kind: 'replace-appimage', from: f, to: appImage };
  return null;
}
