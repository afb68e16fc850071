import { InvalidRequestError } from '../errors/index.js';

/** FormReaderOptions bound what one form field may carry; the service's own rules then decide what is valid. */
export interface FormReaderOptions {
  /** longest value of one field, in characters */
  readonly maxFieldLength: number;
  /** most values a repeated field (a group of checkboxes) may carry, default 256 */
  readonly maxValues?: number;
}

/** FormReader reads the fields of a parsed urlencoded form or query string (request.body, request.query). */
export interface FormReader {
  /** one text field: '' when absent; a repeated or too long field is refused with a message naming it */
  readonly field: (body: unknown, name: string) => string;
  /** a field that may repeat (a group of checkboxes); [] when absent */
  readonly values: (body: unknown, name: string) => string[];
  /** a text field (a textarea of names, a list of tags) split at commas and whitespace */
  readonly list: (body: unknown, name: string) => string[];
  /** a checkbox: true when sent with any value but '' or 'false' */
  readonly flag: (body: unknown, name: string) => boolean;
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/**
 * createFormReader builds the form readers of one web UI with its own field-size bound (a UI
 * that takes CSRs or PEM bundles needs more than one that takes names and passwords).
 */
export function createFormReader(opts: FormReaderOptions): FormReader {
  const { maxFieldLength } = opts;
  const maxValues = opts.maxValues ?? 256;
  const field = (body: unknown, name: string): string => {
    const value = fieldsOf(body)[name];
    if (value === undefined) return '';
    if (typeof value !== 'string') throw new InvalidRequestError(`send the field ${name} once`);
    if (value.length > maxFieldLength) throw new InvalidRequestError(`the field ${name} is too long`);
    return value;
  };
  return {
    field,
    values(body, name) {
      const value = fieldsOf(body)[name];
      if (value === undefined) return [];
      const values = Array.isArray(value) ? value : [value];
      if (values.length > maxValues || !values.every((v): v is string => typeof v === 'string' && v.length <= maxFieldLength)) {
        throw new InvalidRequestError(`the field ${name} has too many or too long values`);
      }
      return values;
    },
    list(body, name) {
      return field(body, name)
        .split(/[\s,]+/)
        .filter((item) => item !== '');
    },
    flag(body, name) {
      const value = field(body, name);
      return value !== '' && value !== 'false';
    },
  };
}

/** routeParam reads one path parameter of the route, e.g. routeParam(request.params, 'mount'): '' when absent. */
export function routeParam(params: unknown, name: string): string {
  const value = fieldsOf(params)[name];
  return typeof value === 'string' ? value : '';
}
