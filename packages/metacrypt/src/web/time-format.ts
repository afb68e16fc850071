import { timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { html, type SafeHTML } from '@metacircular/mcdsl';

/** formatInstant writes an instant as "2026-03-25 14:00:00 UTC" (pages show UTC only). */
export function formatInstant(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** timeView renders an instant as a <time> element, or a dash when there is none. */
export function timeView(at: Timestamp | undefined): SafeHTML {
  if (at === undefined) return html`–`;
  const ms = timestampMs(at);
  return html`<time datetime="${new Date(ms).toISOString()}">${formatInstant(ms)}</time>`;
}
