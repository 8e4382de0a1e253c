/** A rule about cases or ratings refused the request; the hub maps the code to an HTTP status. */
export type CaseErrorCode =
  | 'UNKNOWN_CASE'
  | 'REASON_REQUIRED'
  | 'ALREADY_EVALUATED'
  | 'WRONG_WINDOW'
  /** An agent's 居民身份证 number that fails GB 11643 (the applicant's is checked when the ticket is issued). */
  | 'INVALID_CERT_NO';

export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
