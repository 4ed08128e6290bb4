#!/usr/bin/env node
// Turns Kubernetes' OpenAPI v2 document (api/openapi-spec/swagger.json of the k8s.io/kubernetes module,
// what the API server serves at /openapi/v2) into JSON schemas kubeconform reads offline:
//   <dir>/_definitions.json             every definition, strict (no unknown fields), refs kept
//   <dir>/<kind>-<group>-<version>.json one per kind, e.g. deployment-apps-v1.json, service-v1.json
// (kubeconform's naming: the group's first label, e.g. networkpolicy-networking-v1.json).
// The same conversions as openapi2jsonschema: int-or-string and Quantity accept a string or a number,
// and an object with declared properties rejects any other property (what `kubectl apply` would reject).
//
//   node openapi-to-json-schema.mjs SWAGGER_JSON OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [swaggerPath, outDir] = process.argv.slice(2);
if (!swaggerPath || !outDir) {
  console.error('usage: openapi-to-json-schema.mjs SWAGGER_JSON OUT_DIR');
  process.exit(2);
}
const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8'));
const definitions = swagger.definitions;

function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/definitions/', '_definitions.json#/definitions/');
    else out[key] = convert(value);
  }
  if (out.format === 'int-or-string') {
    delete out.type;
    delete out.format;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.properties && out.additionalProperties === undefined && out.type === 'object') out.additionalProperties = false;
  return out;
}

const defs = {};
for (const [name, schema] of Object.entries(definitions)) {
  const converted = convert(schema);
  if (converted.properties && converted.additionalProperties === undefined) converted.additionalProperties = false;
  defs[name] = converted;
}
// Quantities are strings ("500m", "1Gi") or plain numbers in YAML (cpu: 2).
defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
  description: definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']?.description,
  oneOf: [{ type: 'string' }, { type: 'number' }],
};

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, '_definitions.json'), JSON.stringify({ definitions: defs }));
let kinds = 0;
for (const [name, schema] of Object.entries(definitions)) {
  for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
    const kindSuffix = gvk.group ? `-${gvk.group.split('.')[0]}-${gvk.version}` : `-${gvk.version}`;
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    const file = `${gvk.kind.toLowerCase()}${kindSuffix.toLowerCase()}.json`;
    const kindSchema = {
      ...defs[name],
      properties: {
        ...defs[name].properties,
        apiVersion: { type: 'string', enum: [apiVersion] },
        kind: { type: 'string', enum: [gvk.kind] },
      },
      required: [...new Set([...(defs[name].required ?? []), 'apiVersion', 'kind'])],
    };
    writeFileSync(join(outDir, file), JSON.stringify(kindSchema));
    kinds++;
  }
}
console.log(`wrote ${kinds} kind schemas and ${Object.keys(defs).length} definitions to ${outDir}`);
