/** What an evaluation keypad's key records (the recording itself runs in test/devices/device-service.test.ts). */
import { describe, expect, it } from 'vitest';
import type { RatingKeyEvent } from '../devices/types.js';
import { keypadRating } from './keypad-ratings.js';

const key = (level: RatingKeyEvent['level']): RatingKeyEvent => ({
  deviceId: 'w1-eval',
  terminal: 'counter-1',
  windowNo: 1,
  level,
  key: '01',
});

describe('keypad ratings', () => {
  it('rates the case open at the keypad’s window, for that window only, on the pad channel', () => {
    expect(keypadRating(key('satisfied'), { caseId: 'C1' }, undefined)).toEqual({
      record: {
        caseId: 'C1',
        level: 'satisfied',
        reasons: [],
        text: null,
        channel: 'pad',
        deviceId: 'w1-eval',
        onlyWindow: 1,
      },
    });
  });

  it('ignores a key with no case open for rating', () => {
    expect(keypadRating(key('very_satisfied'), null, 'R107')).toMatchObject({ ignore: 'NO_OPEN_REQUEST' });
  });

  it('records a 差评 only with the configured reason code', () => {
    expect(keypadRating(key('very_dissatisfied'), { caseId: 'C1' }, undefined)).toMatchObject({
      ignore: 'BAD_RATING_NEEDS_REASON',
    });
    const r = keypadRating(key('dissatisfied'), { caseId: 'C1' }, 'R107');
    expect('record' in r && r.record.reasons).toEqual(['R107']);
    // A good rating does not carry the 差评 reason.
    const good = keypadRating(key('basically_satisfied'), { caseId: 'C1' }, 'R107');
    expect('record' in good && good.record.reasons).toEqual([]);
  });
});
