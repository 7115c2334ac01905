/**
 * How a use case says no. The API turns `kind` into an HTTP status and the rest into a
 * problem+json body; the worker logs it. Messages are for people and carry no personal data.
 */
export type UseCaseErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'throttled'
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

export class UseCaseError extends Error {
  constructor(
    readonly kind: UseCaseErrorKind,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'UseCaseError';
  }

  static notFound(what: string): UseCaseError {
    return new UseCaseError('not_found', 'not_found', `${what} was not found`);
  }
}
