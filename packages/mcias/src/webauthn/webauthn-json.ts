import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * The WebAuthn objects travel in their standard browser JSON encoding (the proto carries them as
 * google.protobuf.Struct): options out (PublicKeyCredential{Creation,Request}OptionsJSON, what
 * PublicKeyCredential.parse*OptionsFromJSON takes) and credentials in (what
 * PublicKeyCredential.toJSON() gives). These helpers check the shape of what comes in before
 * the library looks at it, so bad input is a 400 naming the field, never a crash.
 */

const base64url = /^[A-Za-z0-9_-]+$/;
/** maxCredentialIdBytes is the WebAuthn limit on a credential id. */
const maxCredentialIdBytes = 1023;

/** toStruct turns an options object into a Struct value (dropping undefined members). */
export function toStruct(value: object): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/** credentialIdBytes decodes a base64url credential id, refusing anything else. */
export function credentialIdBytes(id: string): Buffer {
  if (!base64url.test(id) || id.length > Math.ceil((maxCredentialIdBytes * 4) / 3)) {
    throw new InvalidRequestError('credential.id must be a base64url credential id', { code: 'ERR_BAD_CREDENTIAL' });
  }
  return Buffer.from(id, 'base64url');
}

/** registrationResponseOf checks a FinishWebAuthnRegistration credential's shape. */
export function registrationResponseOf(credential: JsonObject | undefined): RegistrationResponseJSON {
  const c = credentialObject(credential);
  const response = objectField(c, 'response');
  stringField(response, 'clientDataJSON');
  stringField(response, 'attestationObject');
  return c as unknown as RegistrationResponseJSON;
}

/** authenticationResponseOf checks a FinishWebAuthnLogin credential's shape. */
export function authenticationResponseOf(credential: JsonObject | undefined): AuthenticationResponseJSON {
  const c = credentialObject(credential);
  const response = objectField(c, 'response');
  stringField(response, 'clientDataJSON');
  stringField(response, 'authenticatorData');
  stringField(response, 'signature');
  if (response['userHandle'] !== undefined && response['userHandle'] !== null) stringField(response, 'userHandle');
  return c as unknown as AuthenticationResponseJSON;
}

/** discoverableOf reads the credProps extension's answer: true only when the browser says rk. */
export function discoverableOf(credential: RegistrationResponseJSON): boolean {
  return credential.clientExtensionResults?.credProps?.rk === true;
}

function credentialObject(credential: JsonObject | undefined): JsonObject {
  if (credential === undefined || Object.keys(credential).length === 0) {
    throw new InvalidRequestError('credential is required (the PublicKeyCredential as JSON)', { code: 'ERR_BAD_CREDENTIAL' });
  }
  credentialIdBytes(stringField(credential, 'id'));
  stringField(credential, 'rawId');
  if (credential['type'] !== 'public-key') {
    throw new InvalidRequestError('credential.type must be "public-key"', { code: 'ERR_BAD_CREDENTIAL' });
  }
  const ext = credential['clientExtensionResults'];
  if (ext !== undefined && !isObject(ext)) {
    throw new InvalidRequestError('credential.clientExtensionResults must be an object', { code: 'ERR_BAD_CREDENTIAL' });
  }
  return { ...credential, clientExtensionResults: ext ?? {} };
}

function objectField(o: JsonObject, name: string): JsonObject {
  const v = o[name];
  if (!isObject(v)) throw new InvalidRequestError(`credential.${name} must be an object`, { code: 'ERR_BAD_CREDENTIAL' });
  return v;
}

function stringField(o: JsonObject, name: string): string {
  const v = o[name];
  if (typeof v !== 'string' || v === '') {
    throw new InvalidRequestError(`credential ${name} must be a non-empty string`, { code: 'ERR_BAD_CREDENTIAL' });
  }
  return v;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
