import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
interface Response {
  description?: string;
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  responses: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json> };
}

const DOC_ID = 'openapi';

/**
 * OpenAPI 3.0 schemas as JSON Schema: `nullable: true` becomes a null alternative, refs point into
 * the document registered with Ajv, and `format: binary` (bytes, not JSON) is dropped.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const s: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === '$ref' && typeof value === 'string') s.$ref = value.replace(/^#/, `${DOC_ID}#`);
    else if (key === 'nullable' || key === 'example' || (key === 'format' && value === 'binary')) continue;
    else if (key === 'properties' || key === 'patternProperties')
      s[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]));
    else s[key] = toJsonSchema(value);
  }
  if ((schema as Json).nullable !== true) return s;
  if (typeof s.type === 'string' && !s.allOf && !s.oneOf && !s.anyOf) {
    const enumerated = Array.isArray(s.enum) ? { enum: [...s.enum, null] } : {};
    return { ...s, type: [s.type, 'null'], ...enumerated };
  }
  return { anyOf: [s, { type: 'null' }] };
}

/** The template of a documented path that a concrete path matches; literal segments win over parameters. */
function pathTemplate(doc: OpenApiDocument, path: string): string | undefined {
  const segments = path.split('/');
  const matches = Object.keys(doc.paths).filter((template) => {
    const parts = template.split('/');
    return (
      parts.length === segments.length &&
      parts.every((p, i) => /^\{[^}]+\}$/.test(p) || decodeURIComponent(segments[i]) === p)
    );
  });
  const params = (t: string) => (t.match(/\{/g) ?? []).length;
  return matches.sort((a, b) => params(a) - params(b))[0];
}

/**
 * Checks live responses against the API description: the status must be documented for the
 * operation, with the media type sent, and a JSON body must match the schema declared for it.
 * Responses from paths the description does not cover (the portal, the docs) are not checked.
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** How many responses were checked, by "METHOD template status". */
  readonly checked = new Map<string, number>();

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOC_ID, components: { schemas: toJsonSchema(doc.components?.schemas ?? {}) } }, DOC_ID);
  }

  /** Throws, naming the operation and what does not match, when a response breaks the description. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
    const path = new URL(url, 'http://localhost').pathname;
    const template = pathTemplate(this.doc, path);
    const operation = template ? this.doc.paths[template][method.toLowerCase()] : undefined;
    if (!template || !operation) return;
    const name = `${method.toUpperCase()} ${template}`;
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) throw new Error(`${name} answered ${status}, which the API description does not list`);
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) return void this.count(name, status);
    const media = content[type];
    if (!media) {
      throw new Error(
        `${name} answered ${status} as ${type || 'no content type'}; the description lists ${Object.keys(content).join(', ')}`,
      );
    }
    if (media.schema && /json$/.test(type)) {
      const key = `${name} ${status} ${type}`;
      let validate = this.compiled.get(key);
      if (!validate) {
        validate = this.ajv.compile(toJsonSchema(media.schema) as Json);
        this.compiled.set(key, validate);
      }
      if (!validate(body)) {
        const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
        throw new Error(`${name} answered ${status} with a body that does not match its schema: ${errors}`);
      }
    }
    this.count(name, status);
  }

  private count(name: string, status: number): void {
    const key = `${name} ${status}`;
    this.checked.set(key, (this.checked.get(key) ?? 0) + 1);
  }
}

type Request = <T = any>(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: T; headers: Headers }>;

/**
 * Reads the live description from a running stack and checks every response its `request`
 * helper receives from then on against it (see OpenApiValidator.check).
 */
export async function validateResponses(stack: { request: Request }): Promise<OpenApiValidator> {
  const original = stack.request.bind(stack) as Request;
  const doc = (await original<OpenApiDocument>('GET', '/api/docs/openapi.json', null)).body;
  const validator = new OpenApiValidator(doc);
  stack.request = (async (method, path, token, body, headers) => {
    const r = await original(method, path, token, body, headers);
    validator.check(method, path, r.status, r.headers.get('content-type'), r.body);
    return r;
  }) as Request;
  return validator;
}
