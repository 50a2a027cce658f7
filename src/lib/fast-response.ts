import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
type ZodRoute = Parameters<typeof serializerCompiler>[0];

/** Not a shape this serialiser knows: the route keeps the zod serialiser for that status. */
class Unsupported extends Error {}

/**
 * The part of a JSON Schema that writing needs: types, properties, items and required fields.
 * Value checks (enum, bounds, formats) are dropped — the service builds these answers — and a
 * nullable scalar (`anyOf: [X, null]`) becomes a type list, which fast-json-stringify writes
 * without choosing a branch at run time.
 */
function forWriting(s: JsonSchema): JsonSchema {
  if (Array.isArray(s.anyOf)) {
    const branches = s.anyOf as JsonSchema[];
    const value = branches.filter((b) => b.type !== 'null');
    if (branches.length === 2 && value.length === 1 && ['string', 'number', 'integer', 'boolean'].includes(String(value[0].type))) return { type: [value[0].type, 'null'] };
    throw new Unsupported('union');
  }
  if (s.const !== undefined) return { type: typeof s.const === 'number' ? 'number' : typeof s.const };
  switch (s.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type: s.type };
    case 'array':
      if (!s.items || Array.isArray(s.items)) throw new Unsupported('tuple');
      return { type: 'array', items: forWriting(s.items as JsonSchema) };
    case 'object': {
      if (s.additionalProperties !== undefined && s.additionalProperties !== false) throw new Unsupported('record');
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      return { type: 'object', properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, forWriting(v)])), required: s.required ?? [], additionalProperties: false };
    }
    default:
      throw new Unsupported(String(s.type));
  }
}

/**
 * A route's `serializerCompiler` for hot reads: its 2xx answers are written by fast-json-stringify,
 * compiled once from the route's zod response schema, instead of being checked by zod and then
 * `JSON.stringify`'d on every request (what fastify-type-provider-zod's serializer does). Only the
 * schema's fields are written. Other statuses, and schemas with transforms, unions or records,
 * keep the zod serialiser. Under vitest every answer is still checked against its schema, so a
 * service that drifts from its contract fails its tests as before.
 */
export function fastResponseSerializer(route: { schema: unknown; method: string; url: string; httpStatus?: string }): (data: unknown) => string {
  const zodSerializer = serializerCompiler(route as ZodRoute);
  if (!String(route.httpStatus).startsWith('2')) return zodSerializer;
  let write: (data: unknown) => string;
  try {
    write = fastJson(forWriting(z.toJSONSchema(route.schema as z.ZodType, { io: 'output', unrepresentable: 'throw' }) as JsonSchema)) as (data: unknown) => string;
  } catch {
    return zodSerializer;
  }
  if (!process.env.VITEST) return write;
  return (data) => {
    zodSerializer(data); // throws on an answer that does not match the schema
    return write(data);
  };
}
