import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../time/clock.js';
import { type AdminCredentials, TechnicianUnlock } from './technician-unlock.js';

const T0 = Date.UTC(2026, 10, 23, 1, 0);
const admin: AdminCredentials = { staffNo: '8001', pin: '123456' };

function setup(opts: { mode?: 'admin-pin' | 'none' } = {}) {
  const clock = new ManualClock(T0);
  const verify = vi.fn(async (c: AdminCredentials) => c.staffNo === '8001' && c.pin === '123456');
  const unlock = new TechnicianUnlock({ verify, clock, mode: opts.mode ?? 'admin-pin' });
  return { clock, verify, unlock };
}

describe('technician unlock', () => {
  it('unlocks for 15 minutes after the hub accepts an admin PIN, then locks again by itself', async () => {
    const { clock, verify, unlock } = setup();
    expect(unlock.isUnlocked()).toBe(false);
    expect(await unlock.unlock(admin)).toEqual({ ok: true, until: T0 + 15 * 60_000 });
    expect(verify).toHaveBeenCalledWith(admin);
    expect(unlock.isUnlocked()).toBe(true);
    expect(unlock.expiresAt()).toBe(T0 + 15 * 60_000);
    clock.advance(15 * 60_000 - 1);
    expect(unlock.isUnlocked()).toBe(true);
    clock.advance(1);
    expect(unlock.isUnlocked()).toBe(false);
    expect(unlock.expiresAt()).toBeNull();
  });

  it('can be locked early', async () => {
    const { unlock } = setup();
    await unlock.unlock(admin);
    unlock.lock();
    expect(unlock.isUnlocked()).toBe(false);
  });

  it('refuses wrong PINs and, after five in a row, refuses even the right one for five minutes', async () => {
    const { clock, verify, unlock } = setup();
    for (let i = 0; i < 4; i++)
      expect(await unlock.unlock({ staffNo: '8001', pin: '000000' })).toMatchObject({ ok: false, code: 'WRONG_PIN' });
    expect(await unlock.unlock({ staffNo: '8001', pin: '000000' })).toEqual({
      ok: false,
      code: 'LOCKED_OUT',
      message: '错误次数过多，请稍后再试',
      retryAt: T0 + 5 * 60_000,
    });
    verify.mockClear();
    expect(await unlock.unlock(admin)).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(verify).not.toHaveBeenCalled();
    clock.advance(5 * 60_000);
    expect(await unlock.unlock(admin)).toMatchObject({ ok: true });
  });

  it('a right PIN resets the count of wrong ones', async () => {
    const { unlock } = setup();
    for (let i = 0; i < 4; i++) await unlock.unlock({ staffNo: '8001', pin: '111111' });
    await unlock.unlock(admin);
    unlock.lock();
    for (let i = 0; i < 4; i++)
      expect(await unlock.unlock({ staffNo: '8001', pin: '111111' })).toMatchObject({ code: 'WRONG_PIN' });
  });

  it('does not count an attempt the hub could not check, nor malformed input, and never asks twice at once', async () => {
    const { verify, unlock } = setup();
    verify.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    expect(await unlock.unlock(admin)).toMatchObject({ ok: false, code: 'HUB_UNREACHABLE' });
    expect(await unlock.unlock({ staffNo: '8001', pin: '12' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(await unlock.unlock({ staffNo: 'admin', pin: '123456' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(verify).toHaveBeenCalledTimes(1);
    let release: (v: boolean) => void = () => {};
    verify.mockImplementationOnce(() => new Promise<boolean>((r) => (release = r)));
    const first = unlock.unlock(admin);
    expect(await unlock.unlock(admin)).toMatchObject({ ok: false, code: 'BUSY' });
    release(true);
    expect(await first).toMatchObject({ ok: true });
  });

  it('is refused when the terminal has no technician unlock configured', async () => {
    const { verify, unlock } = setup({ mode: 'none' });
    expect(await unlock.unlock(admin)).toMatchObject({ ok: false, code: 'DISABLED' });
    expect(verify).not.toHaveBeenCalled();
  });
});
