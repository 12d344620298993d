// What a handler returns; the server writes it. Error bodies follow the REST/JSON shape of Roles
// Anywhere: the code in `x-amzn-ErrorType` (with the service's ':' suffix) and `{"message": …}`.
import type { ServiceError } from './service-error';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function jsonAnswer(status: number, value: unknown, contentType = 'application/json'): Answer {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(value) };
}

export function restJsonError(error: ServiceError): Answer {
  return {
    status: error.status,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': `${error.code}:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/`,
    },
    body: JSON.stringify({ message: error.message }),
  };
}
