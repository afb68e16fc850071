// MCIAS's side of the test browser: mcdsl's WebSession (cookies, CSRF, forms) pointed at a test
// MCIAS, with MCIAS's session cookie, and the API check tests use beside it.
import { WebSession as BaseWebSession, type TestResponse } from '@metacircular/mcdsl/testing';
import type { TestMcias } from '../src/testing.js';

export { parseSetCookies, textOf } from '@metacircular/mcdsl/testing';

/** WebSession is mcdsl's test browser for a test MCIAS's web UI. */
export class WebSession extends BaseWebSession {
  constructor(
    readonly m: TestMcias,
    responses: TestResponse[] = [],
  ) {
    super(m.restUrl, m.caCert, responses);
  }

  /** sessionToken is the token in the session cookie, if any. */
  get sessionToken(): string | undefined {
    return this.cookies.get('mcias_session');
  }
}

/** tokenIsValid asks the API whether a token validates. */
export async function tokenIsValid(m: TestMcias, token: string): Promise<boolean> {
  const res = await m.request('POST', '/v1/token/validate', { body: { token } });
  return res.status === 200 && res.json<{ valid?: boolean }>().valid === true;
}
