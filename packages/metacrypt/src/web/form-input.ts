import { InvalidRequestError } from '@metacircular/mcdsl';

// Bounds what one form field may carry (a CSR, an envelope and a PEM bundle fit); the API's own
// rules then decide what is valid.
const maxFieldLength = 64 * 1024;

function fieldsOf(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/**
 * formField reads one text field of a parsed urlencoded form or query string: '' when absent.
 * A repeated field or one longer than 64 KiB is refused with a message naming it.
 */
export function formField(body: unknown, name: string): string {
  const value = fieldsOf(body)[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new InvalidRequestError(`send the field ${name} once`);
  if (value.length > maxFieldLength) throw new InvalidRequestError(`the field ${name} is too long`);
  return value;
}

/** formValues reads a field that may repeat (a group of checkboxes); [] when absent. */
export function formValues(body: unknown, name: string): string[] {
  const value = fieldsOf(body)[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (values.length > 256 || !values.every((v): v is string => typeof v === 'string' && v.length <= maxFieldLength)) {
    throw new InvalidRequestError(`the field ${name} has too many or too long values`);
  }
  return values;
}

/** formList splits a text field (a textarea of names, a list of globs) at commas and whitespace. */
export function formList(body: unknown, name: string): string[] {
  return formField(body, name)
    .split(/[\s,]+/)
    .filter((item) => item !== '');
}

/** formFlag reads a checkbox: true when sent with any value but '' or 'false'. */
export function formFlag(body: unknown, name: string): boolean {
  const value = formField(body, name);
  return value !== '' && value !== 'false';
}

/** formBytes reads a text or base64 payload field as bytes, as its `<name>_encoding` field says. */
export function formBytes(body: unknown, name: string): Uint8Array {
  const text = formField(body, name);
  if (formField(body, `${name}_encoding`) !== 'base64') return Buffer.from(text, 'utf8');
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new InvalidRequestError(`the field ${name} is not valid base64; choose "text" or fix the encoding`);
  }
  return Buffer.from(compact, 'base64');
}

/** routeParam reads one path parameter of the route, e.g. routeParam(request.params, 'mount'). */
export function routeParam(params: unknown, name: string): string {
  const value = fieldsOf(params)[name];
  return typeof value === 'string' ? value : '';
}
