import { ScalarType, type DescField, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { InvalidRequestError } from '../errors/index.js';

/**
 * coerceParam turns a path or query string into the JSON value the proto JSON parser expects for
 * the field at `fieldPath` (booleans and 32-bit numbers are not accepted as strings there).
 * 64-bit integers, bytes, enums, timestamps and durations stay strings, which proto JSON accepts. Unknown fields and
 * message-typed fields are refused: they cannot come from a URL.
 */
export function coerceParam(message: DescMessage, fieldPath: string, raw: string | string[]): JsonValue {
  const field = resolveField(message, fieldPath);
  if (field.fieldKind === 'list') {
    const values = Array.isArray(raw) ? raw : [raw];
    if (field.listKind === 'message') throw notUrlField(fieldPath);
    return values.map((v) => (field.listKind === 'scalar' ? coerceScalar(field.scalar, v, fieldPath) : v));
  }
  if (Array.isArray(raw)) throw new InvalidRequestError(`parameter "${fieldPath}" is given more than once`);
  if (field.fieldKind === 'scalar') return coerceScalar(field.scalar, raw, fieldPath);
  if (field.fieldKind === 'enum') return raw;
  // Well-known types whose JSON form is a string (RFC 3339 time, "1.5s" duration) fit in a URL.
  if (field.fieldKind === 'message' && stringJsonTypes.has(field.message.typeName)) return raw;
  throw notUrlField(fieldPath);
}

const stringJsonTypes = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.FieldMask']);

function resolveField(message: DescMessage, fieldPath: string): DescField {
  let current: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const part of fieldPath.split('.')) {
    if (!current) throw new InvalidRequestError(`unknown parameter "${fieldPath}"`);
    field = current.fields.find((f) => f.name === part || f.jsonName === part);
    if (!field) throw new InvalidRequestError(`unknown parameter "${fieldPath}"`);
    current = field.fieldKind === 'message' ? field.message : undefined;
  }
  if (!field) throw new InvalidRequestError(`unknown parameter "${fieldPath}"`);
  return field;
}

function coerceScalar(type: ScalarType, raw: string, fieldPath: string): JsonValue {
  switch (type) {
    case ScalarType.BOOL:
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new InvalidRequestError(`parameter "${fieldPath}" must be true or false`);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return integer(raw, fieldPath, -0x80000000, 0x7fffffff);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return integer(raw, fieldPath, 0, 0xffffffff);
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) throw new InvalidRequestError(`parameter "${fieldPath}" must be a number`);
      return n;
    }
    default:
      return raw;
  }
}

function integer(raw: string, fieldPath: string, min: number, max: number): number {
  const n = /^-?\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidRequestError(`parameter "${fieldPath}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function notUrlField(fieldPath: string): InvalidRequestError {
  return new InvalidRequestError(`parameter "${fieldPath}" cannot be given in the URL`);
}
