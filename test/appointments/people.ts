/** Test people for the appointment suites: valid GB 11643 numbers, one per integer. */
import { gb11643CheckChar } from '../../common/cert-number.js';

export const idOf = (n: number): string => {
  const first = `33010619900101${String(n).padStart(3, '0')}`;
  return first + gb11643CheckChar(first);
};
export const person = (n: number) => ({ name: `市民${n}`, certType: 'resident' as const, certNo: idOf(n) });
