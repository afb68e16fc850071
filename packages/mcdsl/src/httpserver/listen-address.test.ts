import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseListenAddress } from './listen-address.js';
import { InvalidRequestError } from '../errors/index.js';

describe('parseListenAddress', () => {
  it('reads the forms services write in config', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListenAddress(':8443'), { host: undefined, port: 8443 });
    assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
    assert.deepEqual(parseListenAddress('localhost:8080'), { host: 'localhost', port: 8080 });
    assert.deepEqual(parseListenAddress('0.0.0.0:65535'), { host: '0.0.0.0', port: 65535 });
  });

  it('refuses malformed addresses with a message naming the key', () => {
    for (const bad of ['8443', 'host', '::1:80', '[host]:80', '1.2.3.4:65536', '1.2.3.4:', ':-1', '[::1]']) {
      assert.throws(
        () => parseListenAddress(bad, 'server.listen_addr'),
        (err: unknown) =>
          err instanceof InvalidRequestError &&
          err.message.startsWith(`server.listen_addr "${bad}"`) &&
          err.code === 'ERR_LISTEN_ADDRESS',
        bad,
      );
    }
  });
});
