/**
 * The applicant as the four columns a table keeps of a person (tickets, appointments): name and
 * ID type as given, the ID number sealed, and its keyed hash so the person can be found again
 * without opening every row.
 */
import type { FieldCipher } from './crypto.js';

export interface ApplicantColumns {
  applicant_name: string;
  applicant_cert_type: string;
  applicant_cert_enc: string;
  applicant_cert_hash: string;
}

export function sealApplicant(
  cipher: FieldCipher,
  a: { name: string; certType: string; certNo: string },
): ApplicantColumns {
  return {
    applicant_name: a.name,
    applicant_cert_type: a.certType,
    applicant_cert_enc: cipher.encrypt(a.certNo),
    applicant_cert_hash: cipher.lookupHash(a.certNo),
  };
}

/** The columns of a row without a person (a ticket taken without an ID, or its person purged). */
export const NO_APPLICANT = {
  applicant_name: null,
  applicant_cert_type: null,
  applicant_cert_enc: null,
  applicant_cert_hash: null,
} as const;
