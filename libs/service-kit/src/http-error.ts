import { ErrorCode } from '@search-mesh/contracts';

/** An error a handler throws to answer with the mesh's error shape and a chosen status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  static badRequest(message: string, field?: string): HttpError {
    return new HttpError(400, ErrorCode.BadRequest, message, field);
  }

  static notFound(message: string): HttpError {
    return new HttpError(404, ErrorCode.NotFound, message);
  }

  static conflict(message: string, field?: string): HttpError {
    return new HttpError(409, ErrorCode.Conflict, message, field);
  }
}
