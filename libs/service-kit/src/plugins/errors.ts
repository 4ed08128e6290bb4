import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ErrorBody, ErrorCode } from '@search-mesh/contracts';
import { HttpError } from '../http-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.TooManyRequests,
  503: ErrorCode.Unavailable,
  504: ErrorCode.DeadlineExceeded,
};

/** Turns an Ajv validation error into the dotted name of the field at fault, e.g. "querystring.size". */
function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const base = error.validationContext ?? 'body';
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = (first.params as { missingProperty?: string }).missingProperty;
  const additional = (first.params as { additionalProperty?: string }).additionalProperty;
  const leaf = missing ?? additional;
  return [base, path, leaf].filter((p) => p !== undefined && p !== '').join('.');
}

function toBody(error: FastifyError | HttpError): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.field !== undefined) body.error.field = error.field;
    return { status: error.statusCode, body };
  }
  if (error.validation) {
    const field = fieldOf(error);
    const body: ErrorBody = { error: { code: ErrorCode.BadRequest, message: error.message } };
    if (field !== undefined) body.error.field = field;
    return { status: 400, body };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, body: { error: { code: CODE_BY_STATUS[status] ?? ErrorCode.BadRequest, message: error.message } } };
  }
  if (status === 503 || status === 504) {
    return { status, body: { error: { code: CODE_BY_STATUS[status]!, message: error.message } } };
  }
  // Never leak internals in a 5xx; the log line has the stack and the request id ties them together.
  return { status: 500, body: { error: { code: ErrorCode.Internal, message: 'internal error' } } };
}

/** One JSON error shape for every 4xx and 5xx, including 404s and framework errors. */
export const errorsPlugin = fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toBody(error);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.debug({ err: error }, 'request rejected');
      return reply.status(status).send(body);
    });
    app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const body: ErrorBody = { error: { code: ErrorCode.NotFound, message: `no route ${request.method} ${request.url.split('?')[0]}` } };
      return reply.status(404).send(body);
    });
  },
  { name: 'search-mesh-errors' },
);
