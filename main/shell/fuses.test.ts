import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { GOVHALL_FUSES } from './fuses.js';

describe('electron fuses', () => {
  it('sets the fuses of the security checklist', () => {
    expect(GOVHALL_FUSES.version).toBe(FuseVersion.V1);
    expect(GOVHALL_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(GOVHALL_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(GOVHALL_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(GOVHALL_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(GOVHALL_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(GOVHALL_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(GOVHALL_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('decides every fuse this @electron/fuses knows, so a new one fails the build until decided', () => {
    expect(GOVHALL_FUSES.strictlyRequireAllFuses).toBe(true);
    const known = Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number');
    for (const fuse of known) expect(typeof GOVHALL_FUSES[fuse], FuseV1Options[fuse]).toBe('boolean');
    const decided = Object.keys(GOVHALL_FUSES).filter((k) => /^\d+$/.test(k));
    expect(decided.length).toBe(known.length);
  });
});
