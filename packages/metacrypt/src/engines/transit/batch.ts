import { InvalidRequestError, McError } from '@metacircular/mcdsl';

/** BatchOutcome is one item's result in a batch: its value, or the error that item alone hit. */
export type BatchOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: McError };

/** maxBatchItems bounds one batch request (the request body limit bounds its bytes). */
export const maxBatchItems = 1000;

/**
 * runBatch applies fn to every item and keeps going past a failed one: an McError becomes that
 * item's outcome. Anything else is a bug, not bad input, and fails the whole request.
 */
export function runBatch<I, T>(items: readonly I[], fn: (item: I) => T): Array<BatchOutcome<T>> {
  if (items.length === 0) throw new InvalidRequestError('batch_input is empty; give at least one item');
  if (items.length > maxBatchItems) {
    throw new InvalidRequestError(`batch_input has ${items.length} items; the limit is ${maxBatchItems}, split the request`);
  }
  return items.map((item): BatchOutcome<T> => {
    try {
      return { ok: true, value: fn(item) };
    } catch (err) {
      if (err instanceof McError) return { ok: false, error: err };
      throw err;
    }
  });
}
