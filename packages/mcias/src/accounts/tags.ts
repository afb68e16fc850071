import { InvalidRequestError } from '@metacircular/mcdsl';

/** Tags are 1-128 characters of `[a-z0-9:._-]`, e.g. `env:restricted`; at most 64 per account. */
const tagPattern = /^[a-z0-9:._-]{1,128}$/;
const maxTags = 64;

/** validateTags validates each tag and returns the set sorted, without duplicates. */
export function validateTags(tags: readonly string[]): string[] {
  for (const tag of tags) {
    if (!tagPattern.test(tag)) {
      throw new InvalidRequestError(`tag "${tag}" must be 1-128 characters of a-z, 0-9, ":", ".", "_" and "-"`, {
        code: 'ERR_BAD_TAG',
      });
    }
  }
  const unique = [...new Set(tags)].sort();
  if (unique.length > maxTags)
    throw new InvalidRequestError(`an account can have at most ${maxTags} tags`, { code: 'ERR_BAD_TAG' });
  return unique;
}
