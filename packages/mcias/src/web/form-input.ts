import { InvalidRequestError } from '@metacircular/mcdsl';

// Bounds what one form field may carry; MCIAS's own rules then decide what is valid.
const maxFieldLength = 8192;

function fieldsOf(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/**
 * formField reads one text field of a parsed urlencoded form or query string: '' when absent.
 * A repeated field or one longer than 8 KiB is refused with a message naming it.
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

/** formList splits a text field (a textarea of tags, a list of names) at commas and whitespace. */
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
