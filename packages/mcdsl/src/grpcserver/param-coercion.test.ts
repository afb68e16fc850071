// Property tests of the URL side of REST transcoding: path and query strings come from the
// network, so any string either becomes a value the proto JSON parser takes or is refused with
// an InvalidRequestError naming the parameter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromJson } from '@bufbuild/protobuf';
import { EchoRequestSchema } from '@metacircular/proto/mcdsl/v1/echo_pb';
import { InvalidRequestError } from '../errors/index.js';
import { coerceParam } from './param-coercion.js';
import { compilePathTemplate } from './path-template.js';

// Strings that look like numbers, so the numeric branches are exercised, not only refused.
const numberLike = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).map(String),
  fc.constantFrom('1e3', '0x10', ' 7', '1.5', '-0', 'true', '1', '0'),
);

const fields = ['id', 'text', 'count', 'tags', 'loud', 'note.author', 'note.at_unix', 'since', 'note', 'nope', 'note.nope'];

describe('coerceParam properties', () => {
  it('turns any string into an accepted value or an InvalidRequestError naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.oneof(fc.string(), numberLike, fc.array(fc.oneof(fc.string(), numberLike), { maxLength: 3 })),
        (field, raw) => {
          let value;
          try {
            value = coerceParam(EchoRequestSchema, field, raw);
          } catch (err) {
            assert.ok(err instanceof InvalidRequestError, `threw ${String(err)}`);
            assert.ok(err.message.includes(field));
            return;
          }
          // Accepted values are of the field's JSON type. For strings, booleans and 32-bit numbers the
          // parser must then take them; a timestamp or an int64 string may still be refused by the
          // parser for its content (a 400 at the edge), which is not this function's business.
          const json: Record<string, unknown> = {};
          let node = json;
          const parts = field.split('.');
          for (const part of parts.slice(0, -1)) node = node[part] = {};
          node[parts[parts.length - 1]!] = value;
          if (['id', 'text', 'count', 'tags', 'loud', 'note.author'].includes(field)) {
            fromJson(EchoRequestSchema, json as never);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('compilePathTemplate properties', () => {
  it('compiles or refuses any template with an InvalidRequestError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          const t = compilePathTemplate(s);
          assert.ok(t.route.startsWith('/'));
        } catch (err) {
          assert.ok(err instanceof InvalidRequestError, `threw ${String(err)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
