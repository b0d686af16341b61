import { codeForHttpStatus } from '@sms/contracts';

export interface ParsedAnswer {
  /** The code Kaarai gave, or the one implied by the HTTP status when the body had none. */
  readonly code: number;
  readonly message: string;
  /** Where the code came from; `status` means the body carried no code. */
  readonly source: 'body' | 'status';
}

// The document writes answers as «Code 4031: Not routable. Do not try again».
const CODE_IN_TEXT = /\bcode\s*:?\s*(\d{4})\b\s*:?\s*(.*)$/is;

/**
 * Reads Kaarai's answer. The document shows no body, so several shapes are accepted:
 * `{"code": 2020, "message": "..."}` (code as number or text), the document's wording
 * `"Code 2020: Accepted for delivery"` as a JSON string or plain text, or an object whose
 * `message` holds that wording. Without a code, the HTTP status decides.
 */
export function parseKaaraiAnswer(httpStatus: number, body: string | undefined): ParsedAnswer {
  const text = body?.trim() ?? '';
  const fromBody = text === '' ? undefined : codeFromBody(text);
  if (fromBody) return { ...fromBody, source: 'body' };
  return {
    code: codeForHttpStatus(httpStatus),
    message: text.slice(0, 200) || `HTTP ${httpStatus}`,
    source: 'status',
  };
}

function codeFromBody(text: string): { code: number; message: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return codeFromText(text);
  }
  if (typeof json === 'string') return codeFromText(json);
  if (typeof json !== 'object' || json === null) return undefined;
  const { code, message } = json as { code?: unknown; message?: unknown };
  const messageText = typeof message === 'string' ? message : '';
  const numeric =
    typeof code === 'number' ? code : typeof code === 'string' ? Number(code.trim()) : Number.NaN;
  if (Number.isInteger(numeric) && numeric >= 1000 && numeric <= 9999)
    return { code: numeric, message: messageText };
  return messageText ? codeFromText(messageText) : undefined;
}

function codeFromText(text: string): { code: number; message: string } | undefined {
  const match = CODE_IN_TEXT.exec(text);
  if (!match) return undefined;
  return { code: Number(match[1]), message: (match[2] ?? '').trim() };
}
