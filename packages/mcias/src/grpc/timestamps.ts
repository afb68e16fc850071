import { timestampFromMs, timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';

/** timestampOf turns milliseconds (or null) into a proto Timestamp (or nothing). */
export function timestampOf(ms: number | null | undefined): Timestamp | undefined {
  return ms === null || ms === undefined ? undefined : timestampFromMs(ms);
}

/** msOf turns an optional proto Timestamp into milliseconds. */
export function msOf(ts: Timestamp | undefined): number | undefined {
  return ts === undefined ? undefined : timestampMs(ts);
}
