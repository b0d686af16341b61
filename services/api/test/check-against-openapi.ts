import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface DocumentedOperation {
  readonly operationId: string;
  readonly template: string;
  readonly method: string;
  readonly operation: Json & { responses: Record<string, Json> };
}

/** What a real answer was found to be, for the test to collect. */
export interface CheckedAnswer {
  readonly operationId: string;
  readonly status: number;
  /** The `code` of a JSON body, when it has one. */
  readonly code?: number;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Checks real answers against an OpenAPI 3.1 document: the operation the method and path reach,
 * the status among its responses, the content type among the response's, the body against its
 * JSON Schema (ajv, draft 2020-12, the document's dialect), every required header present and
 * every documented header that is present against its schema.
 */
export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly operations: readonly DocumentedOperation[];

  constructor(document: Json & { paths: Record<string, Record<string, Json>> }) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    this.operations = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        operationId: String(operation.operationId),
        template,
        method,
        operation: operation as DocumentedOperation['operation'],
      })),
    );
  }

  /** The operation a request reaches; a literal path wins over a template, as OpenAPI says. */
  operationAt(method: string, path: string): DocumentedOperation | undefined {
    const pathname = path.split('?')[0]!;
    const candidates = this.operations.filter(
      (op) =>
        op.method === method.toLowerCase() &&
        new RegExp(`^${op.template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
    );
    return candidates.find((op) => !op.template.includes('{')) ?? candidates[0];
  }

  /** Throws with what does not conform; answers what the answer was. */
  async check(method: string, path: string, res: Response): Promise<CheckedAnswer> {
    const found = this.operationAt(method, path);
    if (!found) throw new Error(`${method} ${path} is not in the document`);
    const where = `${found.operationId} ${res.status}`;
    const response = found.operation.responses[String(res.status)];
    if (!response) throw new Error(`${where}: the status is not documented`);
    const text = await res.text();
    const content = response.content as Record<string, unknown> | undefined;
    let code: number | undefined;
    if (content === undefined) {
      if (text !== '') throw new Error(`${where}: a body where none is documented`);
    } else {
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (!(type in content)) throw new Error(`${where}: content type ${type} is not documented`);
      const body: unknown = type === 'application/json' ? JSON.parse(text) : text;
      this.validate(
        [found.template, found.method, 'responses', String(res.status), 'content', type, 'schema'],
        body,
        where,
      );
      const bodyCode = (body as { code?: unknown } | null)?.code;
      if (typeof bodyCode === 'number' && res.status >= 400) code = bodyCode;
    }
    const headers = (response.headers ?? {}) as Record<string, Json>;
    for (const [name, header] of Object.entries(headers)) {
      const value = res.headers.get(name);
      if (value === null) {
        if (header.required === true) throw new Error(`${where}: header ${name} is missing`);
        continue;
      }
      const typed = (header.schema as Json).type === 'integer' ? Number(value) : value;
      this.validate(
        [found.template, found.method, 'responses', String(res.status), 'headers', name, 'schema'],
        typed,
        `${where} header ${name}`,
      );
    }
    return { operationId: found.operationId, status: res.status, ...(code !== undefined && { code }) };
  }

  private validate(path: string[], value: unknown, where: string): void {
    const validate = this.ajv.getSchema(`openapi#/paths/${pointer(...path)}`);
    if (!validate) throw new Error(`${where}: no schema at ${path.join(' ')}`);
    if (!validate(value)) {
      throw new Error(
        `${where}: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`,
      );
    }
  }
}
