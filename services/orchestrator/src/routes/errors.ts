import { Type } from '@sinclair/typebox';
import { ErrorBody } from '@search-mesh/contracts';

/** The mesh's error shape for response schemas and the OpenAPI document (without ErrorBody's $id, so
 * every route can embed it). */
export const ErrorResponse = Type.Object({ error: ErrorBody.properties.error }, { description: 'the mesh\'s one error shape' });

export const errorResponses = {
  400: { ...ErrorResponse, description: 'bad input; `error.field` names the parameter' },
  429: { ...ErrorResponse, description: 'this client sent too many requests; see Retry-After' },
  503: { ...ErrorResponse, description: 'overloaded, shutting down, or (search) Elasticsearch unavailable; see Retry-After' },
  504: { ...ErrorResponse, description: 'the caller\'s deadline had already passed' },
};
