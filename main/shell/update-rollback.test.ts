import { describe, expect, it } from 'vitest';
import {
  emptyJournal,
  isLater,
  isRefused,
  keepRelease,
  readJournal,
  recordGood,
  recordStart,
  rollbackCommand,
  type StartJournal,
} from './update-rollback.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 4, 1, 0);

/** A terminal that ran 0.1.0 well, kept both installers, and was just updated to 0.2.0. */
function updatedTerminal(): StartJournal {
  let j = emptyJournal();
  j = keepRelease(j, { version: '0.1.0', file: '/data/updates/releases/0.1.0/govhall-0.1.0-win-x64.exe' }).journal;
  j = recordGood(j, '0.1.0').journal;
  j = keepRelease(j, { version: '0.2.0', file: '/data/updates/releases/0.2.0/govhall-0.2.0-win-x64.exe' }).journal;
  return j;
}

/** Starts `version` at the given minutes after T0; answers the journal and the last decision. */
function startAt(j: StartJournal, version: string, minutes: number[]) {
  let journal = j;
  let decision: ReturnType<typeof recordStart>['decision'] = { kind: 'run' };
  for (const m of minutes) ({ journal, decision } = recordStart(journal, version, T0 + m * MIN));
  return { journal, decision };
}

describe('crash-loop detection and rollback (injected clock)', () => {
  it('rolls back to the last good version after three starts within 15 minutes that never stayed up', () => {
    const { journal, decision } = startAt(updatedTerminal(), '0.2.0', [0, 1, 3]);
    expect(decision).toEqual({
      kind: 'roll-back',
      from: '0.2.0',
      to: { version: '0.1.0', file: '/data/updates/releases/0.1.0/govhall-0.1.0-win-x64.exe' },
    });
    expect(isRefused(journal, '0.2.0')).toBe(true);
    expect(journal.starts).toEqual([]);
  });

  it('does not count starts older than the window, nor a start that was followed by a good one', () => {
    expect(startAt(updatedTerminal(), '0.2.0', [0, 10, 16]).decision).toEqual({ kind: 'run' });
    let j = startAt(updatedTerminal(), '0.2.0', [0, 1]).journal;
    j = recordGood(j, '0.2.0').journal;
    expect(startAt(j, '0.2.0', [2]).decision).toEqual({ kind: 'run' });
  });

  it('leaves a version that once stayed up to recovery: a crash loop of it is not an update gone wrong', () => {
    const j = recordGood(updatedTerminal(), '0.2.0').journal;
    expect(startAt(j, '0.2.0', [0, 1, 2, 3]).decision).toEqual({ kind: 'run' });
  });

  it('says so when nothing is kept to go back to (a first version installed by hand)', () => {
    expect(startAt(emptyJournal(), '0.1.0', [0, 1, 2]).decision).toEqual({
      kind: 'no-fallback',
      version: '0.1.0',
      failedStarts: 3,
    });
  });

  it('keeps the running version and the previous good one, and drops older installers', () => {
    let j = updatedTerminal();
    const good = recordGood(j, '0.2.0');
    expect(good.drop).toEqual([]);
    j = keepRelease(good.journal, { version: '0.3.0', file: '/k/0.3.0.exe' }).journal;
    const next = recordGood(j, '0.3.0');
    expect(next.journal.kept.map((k) => k.version)).toEqual(['0.2.0', '0.3.0']);
    expect(next.drop).toEqual(['/data/updates/releases/0.1.0/govhall-0.1.0-win-x64.exe']);
    // A later version downloaded before this start was marked good waits, kept, to be installed.
    // Every good start of the same version keeps the previous version's installer too.
    const waiting = keepRelease(next.journal, { version: '0.4.0', file: '/k/0.4.0.exe' }).journal;
    expect(recordGood(waiting, '0.3.0').drop).toEqual([]);
    expect(recordGood(recordGood(waiting, '0.3.0').journal, '0.3.0').journal.kept.map((k) => k.version)).toEqual([
      '0.2.0',
      '0.3.0',
      '0.4.0',
    ]);
    expect(isLater('0.10.0', '0.9.3')).toBe(true);
    expect(isLater('1.0.0-beta.1', '1.0.0')).toBe(false);
    expect(isLater('0.9.0', '0.10.0')).toBe(false);
    // A second copy of the same version replaces the first.
    const again = keepRelease(next.journal, { version: '0.3.0', file: '/k/other.exe' });
    expect(again.drop).toEqual(['/k/0.3.0.exe']);
  });

  it('reads back a journal from disk, and starts empty from anything else', () => {
    const j = updatedTerminal();
    expect(readJournal(JSON.parse(JSON.stringify(j)))).toEqual(j);
    expect(readJournal(null)).toEqual(emptyJournal());
    expect(readJournal({ v: 2 })).toEqual(emptyJournal());
    expect(readJournal({ v: 1, kept: [{ version: 1 }], starts: 'x', refused: ['0.2.0', 3] })).toEqual({
      ...emptyJournal(),
      refused: ['0.2.0'],
    });
  });

  it('puts an installer back by its kind', () => {
    expect(rollbackCommand({ version: '0.1.0', file: 'C:\\d\\govhall-0.1.0-win-x64.exe' }, null)).toEqual({
      kind: 'run',
      file: 'C:\\d\\govhall-0.1.0-win-x64.exe',
      args: ['--updated', '/S', '--force-run'],
    });
    expect(rollbackCommand({ version: '0.1.0', file: '/d/govhall_0.1.0_arm64.deb' }, null)).toEqual({
      kind: 'run',
      file: 'pkexec',
      args: ['dpkg', '-i', '/d/govhall_0.1.0_arm64.deb'],
    });
    expect(rollbackCommand({ version: '0.1.0', file: '/d/g.AppImage' }, '/opt/g.AppImage')).toEqual({
      kind: 'replace-appimage',
      from: '/d/g.AppImage',
      to: '/opt/g.AppImage',
    });
    expect(rollbackCommand({ version: '0.1.0', file: '/d/g.AppImage' }, null)).toBeNull();
    expect(rollbackCommand({ version: '0.1.0', file: '/d/g.zip' }, null)).toBeNull();
  });
});
