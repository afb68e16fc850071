import { timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { InvalidRequestError } from '@metacircular/mcdsl';

const dateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;

/**
 * utcTimestamp reads a form's date or `datetime-local` value ("2030-01-02" or
 * "2030-01-02T15:04[:05]") as UTC, the only zone the pages show; '' is no value. Anything else
 * is refused with a message naming the field.
 */
export function utcTimestamp(value: string, field: string): Timestamp | undefined {
  if (value === '') return undefined;
  const at = dateTime.test(value) ? new Date(value.includes('T') ? `${value}Z` : `${value}T00:00Z`) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new InvalidRequestError(`${field} must be a date such as 2030-01-02 or 2030-01-02T15:04 (UTC)`);
  }
  return timestampFromDate(at);
}
