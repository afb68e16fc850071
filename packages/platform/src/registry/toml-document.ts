/** TomlValue is what the generated configs need: scalars and arrays of strings or numbers. */
export type TomlValue = string | number | boolean | readonly string[] | readonly number[];

/** TomlTable is one `[section]`: keys in the order given. */
export type TomlTable = Readonly<Record<string, TomlValue | undefined>>;

/** TomlSections maps a section name to one table (`[name]`) or a list (`[[name]]`). */
export type TomlSections = Readonly<Record<string, TomlTable | readonly TomlTable[] | undefined>>;

const bareKey = /^[A-Za-z0-9_-]+$/;

/**
 * tomlDocument renders generated service configs: a comment header, then each section in
 * order. Strings are TOML basic strings, whose escapes are the JSON ones, so JSON.stringify
 * quotes them correctly. Undefined values and sections are left out, which lets definitions
 * write optional keys inline. Small on purpose: it only ever writes what the registry builds.
 */
export function tomlDocument(sections: TomlSections, header: readonly string[] = []): string {
  const lines = header.map((line) => `# ${line}`);
  for (const [name, section] of Object.entries(sections)) {
    if (section === undefined) continue;
    const tables: readonly TomlTable[] = isTableList(section) ? section : [section];
    for (const table of tables) {
      if (lines.length > 0) lines.push('');
      lines.push(isTableList(section) ? `[[${key(name)}]]` : `[${key(name)}]`);
      for (const [k, value] of Object.entries(table)) {
        if (value !== undefined) lines.push(`${key(k)} = ${tomlValue(value)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function isTableList(section: TomlTable | readonly TomlTable[]): section is readonly TomlTable[] {
  return Array.isArray(section);
}

function key(name: string): string {
  return bareKey.test(name) ? name : JSON.stringify(name);
}

function tomlValue(value: TomlValue): string {
  // DEL is the one control character JSON leaves bare and TOML forbids.
  if (typeof value === 'string') return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to TOML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `[${value.map((item: string | number) => tomlValue(item)).join(', ')}]`;
}
