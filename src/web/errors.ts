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
