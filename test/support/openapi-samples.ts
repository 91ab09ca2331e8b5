import type { OpenAPIObject, OperationObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';

type Schema = SchemaObject & Partial<ReferenceObject>;
const MISSING_UUID = '01a21290-0000-7000-8000-000000000001';

/**
 * A request body that passes validation, built from the operation's JSON schema (its example where it has one):
 * every required property with a plausible value. Undefined when the operation takes no body.
 */
export function requestBody(doc: OpenAPIObject, op: OperationObject): unknown {
  const body = op.requestBody as RequestBodyObject | undefined;
  const schema = body?.content?.['application/json']?.schema as Schema | undefined;
  return schema ? sample(doc, schema) : undefined;
}

function sample(doc: OpenAPIObject, schema: Schema): unknown {
  if (schema.$ref) return sample(doc, doc.components!.schemas![schema.$ref.replace('#/components/schemas/', '')] as Schema);
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sample(doc, s as Schema)));
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sample(doc, properties[key] ?? { type: 'string' })]));
    }
    case 'array':
      return [sample(doc, (schema.items ?? { type: 'string' }) as Schema)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.format === 'uuid' ? MISSING_UUID : schema.format === 'email' ? 'someone@example.com' : 'sample';
  }
}
