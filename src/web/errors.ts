/** Typed errors that handlers throw; the one error handler turns them into pages or JSON. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: readonly { field?: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Page not found') {
    super(404, message);
  }
}

/** Input that cannot be used: the message says what was wrong and how to put it right. */
export class BadRequestError extends HttpError {
  constructor(message: string, details: readonly { field?: string; message: string }[] = []) {
    super(400, message, details);
  }
}

/** The reader must sign in first: pages redirect to the sign-in page, the API answers 401. */
export class SignInRequiredError extends HttpError {
  constructor(message = 'Sign in to continue.') {
    super(401, message);
  }
}

/** Signed in, but not allowed: the policy said no. */
export class ForbiddenError extends HttpError {
  constructor(message = 'You do not have permission to do that.') {
    super(403, message);
  }
}

/** The thing existed but is no longer usable (an expired or used link). */
export class GoneError extends HttpError {
  constructor(message: string) {
    super(410, message);
  }
}

/** The request conflicts with the current state (accepting an invitation twice, removing the last admin). */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

/**
 * A form's input failed validation: the handler re-renders the form (400) with these errors in a GOV.UK error
 * summary, keeping what was typed (STYLE.md §4).
 */
export class FormError extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'FormError';
  }
}
