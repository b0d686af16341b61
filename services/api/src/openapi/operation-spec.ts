import type { GatewayOperation } from './route-error-codes';

/** One operation of a gateway route as the document's builders describe it; the error answers are added. */
export interface OperationSpec {
  readonly summary: string;
  readonly description?: string;
  readonly tags: string[];
  readonly security: string[];
  readonly parameters?: unknown[];
  readonly requestBody?: unknown;
  readonly success: Record<string, Record<string, unknown>>;
}

/** Builds one operation of the document, as the running configuration answers it. */
export type OperationOf = (operationId: GatewayOperation, spec: OperationSpec) => Record<string, unknown>;
