import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildKRL, readKRLHeader } from './krl.js';
import { SSHReader } from './ssh-wire.js';

describe('buildKRL', () => {
  it('writes the PROTOCOL.krl header and one serial-list section per CA', () => {
    const caA = Buffer.from('ca-a-blob');
    const caB = Buffer.from('ca-b-blob');
    const generatedAt = new Date('2026-05-01T00:00:00Z');
    const krl = buildKRL({
      version: 7,
      generatedAt,
      comment: 'test',
      revoked: [
        { caKey: caA, serials: [5, 2, 5, 0] },
        { caKey: caB, serials: [] },
      ],
    });
    assert.equal(krl.subarray(0, 8).toString('latin1'), 'SSHKRL\n\0');
    assert.deepEqual(readKRLHeader(krl), { version: 7n, generatedAt, comment: 'test' });

    const r = new SSHReader(krl.subarray(8));
    assert.equal(r.uint32(), 1); // format version
    r.uint64();
    r.uint64();
    assert.equal(r.uint64(), 0n); // flags
    assert.equal(r.string().length, 0); // reserved
    assert.equal(r.text(), 'test');
    assert.equal(r.byte(), 1); // KRL_SECTION_CERTIFICATES
    const section = new SSHReader(r.string());
    assert.equal(r.remaining, 0, 'a CA with nothing revoked gets no section');
    assert.deepEqual(section.string(), caA);
    assert.equal(section.string().length, 0);
    assert.equal(section.byte(), 0x20); // KRL_SECTION_CERT_SERIAL_LIST
    const list = new SSHReader(section.string());
    const serials: bigint[] = [];
    while (list.remaining > 0) serials.push(list.uint64());
    assert.deepEqual(serials, [2n, 5n], 'sorted, unique, serial 0 left out');
  });

  it('refuses to read what is not a KRL', () => {
    assert.throws(() => readKRLHeader(Buffer.from('not a krl at all')), /not an openssh krl/);
  });
});
