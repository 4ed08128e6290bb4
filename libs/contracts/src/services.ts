/** The services of the mesh and their default ports (all overridable by SEARCH_MESH_<SERVICE>_PORT). */
export const SERVICES = {
  orchestrator: { port: 8080 },
  'query-understanding': { port: 8081 },
  autocomplete: { port: 8082 },
  facet: { port: 8083 },
  ranking: { port: 8084 },
  /** Worker: catalog topic → Elasticsearch; serves only probes and metrics. */
  indexer: { port: 8085 },
  /** Worker: behaviour topic → Cassandra features; serves only probes and metrics. */
  'feature-pipeline': { port: 8086 },
  /** The demo storefront page; passes /v1/search and /v1/suggest to the orchestrator. */
  storefront: { port: 8087 },
} as const;
export type ServiceName = keyof typeof SERVICES;

/** `query-understanding` → `QUERY_UNDERSTANDING`, for environment variable names. */
export function envSegment(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
