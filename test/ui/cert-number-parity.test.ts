/** The kiosk keypad's copy of the GB 11643 check agrees with the hub's on every complete number. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertNo } from '../../main/identity/cert-number.js';
import { checkTyping, mod112 } from '../../renderer/shared/cert-number.js';

const TODAY = '2026-11-23';

describe('cert-number parity', () => {
  it('agrees with the hub on complete numbers', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 });
    fc.assert(
      fc.property(digits, fc.boolean(), (first, right) => {
        const no = first + (right ? mod112(first) : mod112(first) === '0' ? '1' : '0');
        const mine = checkTyping(no, TODAY);
        const hub = checkCertNo('resident', no, TODAY);
        expect(mine.state === 'valid').toBe(hub.ok);
      }),
      { numRuns: 500 },
    );
  });
});
