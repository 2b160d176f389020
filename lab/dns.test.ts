import { describe, expect, it } from 'vitest';
import { respond, type DnsZone } from './dns.js';

const zone: DnsZone = {
  a: { 'chat.lab.test': '198.18.1.10' },
  srv: { '_xmpp-client._tcp.chat.lab.test': [{ priority: 0, weight: 5, port: 5222, target: 'chat.lab.test' }] },
};

function query(name: string, qtype: number): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const labels = name.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, qtype, 0, 1])]);
}

describe("the lab's DNS answers", () => {
  it('an A query with the address, echoing the id', () => {
    const reply = respond(query('chat.lab.test', 1), zone)!;
    expect(reply.readUInt16BE(0)).toBe(0x1234);
    expect(reply.readUInt16BE(6)).toBe(1);
    expect([...reply.subarray(-4)]).toEqual([198, 18, 1, 10]);
  });

  it('an SRV query with priority, weight, port and target', () => {
    const reply = respond(query('_xmpp-client._tcp.chat.lab.test', 33), zone)!;
    expect(reply.readUInt16BE(6)).toBe(1);
    const target = Buffer.from('\x04chat\x03lab\x04test\x00', 'latin1');
    const rdata = reply.subarray(reply.length - target.length - 6);
    expect([rdata.readUInt16BE(0), rdata.readUInt16BE(2), rdata.readUInt16BE(4)]).toEqual([0, 5, 5222]);
    expect(rdata.subarray(6)).toEqual(target);
  });

  it('an unknown name with NXDOMAIN and no answers', () => {
    const reply = respond(query('elsewhere.example', 1), zone)!;
    expect(reply.readUInt16BE(2) & 0x000f).toBe(3);
    expect(reply.readUInt16BE(6)).toBe(0);
  });
});
