// The encoded-answer cache is never stale for writes made through this process: startDnsServer
// clears it from store.onChange, before the write call returns. The change stamp (which would
// catch the write at the next event-loop turn anyway) is frozen here, so only that wiring can
// make the new data show: the test fails if it is ever lost.
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { createLogger, openDatabase, type SqliteDatabase } from '@metacircular/mcdsl';
import { dnsSection, startDnsServer, type DnsServer, type DnsStore } from '../src/dns/index.js';
import { openMcnsStore, type McnsStore } from '../src/store/index.js';

const zone = 'cache.test';

describe('answer cache and in-process writes', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: McnsStore;
  let server: DnsServer;
  let client: Socket;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcns-cache-'));
    db = openDatabase(join(dir, 'mcns.db'));
    store = openMcnsStore(db);
    store.createZone({ name: zone, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` });
    store.createRecord(zone, { name: 'www', type: 'A', value: '192.0.2.1' });
    const frozen: DnsStore = {
      findZoneFor: (qname) => store.findZoneFor(qname),
      recordsAt: (id, name) => store.recordsAt(id, name),
      hasNamesBelow: (id, name) => store.hasNamesBelow(id, name),
      allRecords: (id) => store.allRecords(id),
      changeStamp: () => 'frozen',
      onChange: (listener) => store.onChange(listener),
    };
    server = await startDnsServer({
      store: frozen,
      config: dnsSection.parse({ listen_addr: '127.0.0.1:0' }),
      logger: createLogger({ service: 'mcns-test', level: 'error' }),
    });
    client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
  });
  after(async () => {
    client?.close();
    await server?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let id = 0;
  const ask = (name: string, type: dnsPacket.RecordType): Promise<dnsPacket.DecodedPacket> => {
    const query = dnsPacket.encode({ type: 'query', id: ++id, questions: [{ name, type, class: 'IN' }] });
    return new Promise((resolve) => {
      const onMessage = (msg: Buffer): void => {
        const packet = dnsPacket.decode(msg);
        if (packet.id !== id) return;
        client.off('message', onMessage);
        resolve(packet);
      };
      client.on('message', onMessage);
      client.send(query, server.addresses[0]!.port, '127.0.0.1');
    });
  };
  const addresses = async (name: string): Promise<string[]> =>
    ((await ask(name, 'A')).answers ?? []).map((a) => (a as { data: string }).data).sort();

  it('answers a create, an update and a delete on the next query, and the new serial', async () => {
    const serialOf = async (): Promise<number> => ((await ask(zone, 'SOA')).answers![0] as dnsPacket.SoaAnswer).data.serial!;
    assert.deepEqual(await addresses(`www.${zone}`), ['192.0.2.1']);
    assert.deepEqual(await addresses(`www.${zone}`), ['192.0.2.1'], 'now cached');
    const serial = await serialOf();

    const added = store.createRecord(zone, { name: 'www', type: 'A', value: '192.0.2.2' });
    assert.deepEqual(await addresses(`www.${zone}`), ['192.0.2.1', '192.0.2.2']);
    assert.ok((await serialOf()) > serial);

    store.updateRecord(zone, added.id, { name: 'www', type: 'A', value: '192.0.2.3' });
    assert.deepEqual(await addresses(`www.${zone}`), ['192.0.2.1', '192.0.2.3']);

    store.deleteRecord(zone, added.id);
    assert.deepEqual(await addresses(`www.${zone}`), ['192.0.2.1']);

    assert.equal(((await ask(`new.sub.${zone}`, 'A')) as { rcode?: string }).rcode, 'NXDOMAIN');
    store.createZone({ name: `sub.${zone}`, primaryNs: `ns1.${zone}`, adminEmail: `hostmaster@${zone}` });
    store.createRecord(`sub.${zone}`, { name: 'new', type: 'A', value: '192.0.2.9' });
    assert.deepEqual(await addresses(`new.sub.${zone}`), ['192.0.2.9'], 'a new child zone takes over its names at once');
  });
});
