/** A command-line problem the user can fix; printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 = usage, 1 = failed check or operation. */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
