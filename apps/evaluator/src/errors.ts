import { ConfigError } from '@alignscope/config';
import { DatabaseUnavailableError } from '@alignscope/db';

/** An error caused by the user's input or environment: printed as one line, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Errors whose message is meant for the user (no stack trace). */
export function isUserFacing(e: unknown): e is Error {
  return e instanceof InputError || e instanceof ConfigError || e instanceof DatabaseUnavailableError;
}
