import { createFormReader, InvalidRequestError } from '@metacircular/mcdsl';

export { routeParam } from '@metacircular/mcdsl';

// Bounds what one form field may carry (a CSR, an envelope and a PEM bundle fit); the API's own
// rules then decide what is valid.
const form = createFormReader({ maxFieldLength: 64 * 1024 });

/** formField reads one text field ('' when absent); a repeated field or one over 64 KiB is refused. */
export const formField = form.field;
/** formValues reads a field that may repeat (a group of checkboxes); [] when absent. */
export const formValues = form.values;
/** formList splits a text field (a textarea of names, a list of globs) at commas and whitespace. */
export const formList = form.list;
/** formFlag reads a checkbox: true when sent with any value but '' or 'false'. */
export const formFlag = form.flag;

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
