import type { Algorithm } from '@node-rs/argon2';

/**
 * argon2id is @node-rs/argon2's `Algorithm.Argon2id`. The library declares Algorithm as an
 * ambient const enum, which `verbatimModuleSyntax` cannot read at run time, so the value (2, as
 * in the library's declaration) is written here once and typed as the enum.
 */
export const argon2id = 2 as Algorithm;
