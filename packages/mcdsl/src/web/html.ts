/**
 * SafeHTML is markup that is already safe to send: the output of `html`, `raw` or `layout`.
 * Anything else interpolated into `html` is escaped, so forgetting to escape is not possible
 * and trusting a string has to be spelled out with `raw`.
 */
export class SafeHTML {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** HTMLValue is what may be interpolated: text is escaped, SafeHTML is kept, lists are joined. */
export type HTMLValue = SafeHTML | string | number | bigint | boolean | null | undefined | readonly HTMLValue[];

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** escapeHTML makes text safe in element content and in quoted attribute values. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** raw marks a string as trusted markup; only use it for markup the program itself built. */
export function raw(markup: string): SafeHTML {
  return new SafeHTML(markup);
}

/**
 * html is the tagged template every page is written with. Each interpolation is escaped unless
 * it is SafeHTML; arrays render item by item (for lists of rows); null, undefined and false
 * render nothing (for `${cond && html`...`}`). Attribute values must be quoted in the
 * template, and URLs from users need their scheme checked: escaping cannot make
 * `href="javascript:..."` safe.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HTMLValue[]): SafeHTML {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHTML(out);
}

function render(value: HTMLValue): string {
  if (value instanceof SafeHTML) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((item: HTMLValue) => render(item)).join('');
  return escapeHTML(String(value));
}
