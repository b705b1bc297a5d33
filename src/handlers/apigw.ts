// API Gateway HTTP API (payload v2) helpers shared by the Slack handler and the dev server.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Header lookup that ignores case (API Gateway lower-cases, other callers may not). */
export function headerOf(event: Pick<HttpEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The body exactly as Slack signed it. API Gateway may base64 it; decode as UTF-8 (Korean text survives). */
export function rawBodyOf(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body == null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function textResult(statusCode: number, body = ''): HttpResult {
  return { statusCode, body };
}
