/** Store failures an operator can act on: a code and a Chinese message, never a stack trace. */
export type StoreErrorCode =
  | 'DB_TOO_NEW'
  | 'DB_LOCKED'
  | 'DB_OPEN_FAILED'
  | 'KEY_INVALID'
  | 'BACKUP_EXISTS'
  | 'BACKUP_FAILED'
  | 'RESTORE_FAILED'
  | 'STORAGE_FULL'
  | 'STORAGE_READ_ONLY'
  | 'MATERIAL_CORRUPT';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
