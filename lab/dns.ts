import { createSocket, type Socket } from 'node:dgram';

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface DnsZone {
  a: Record<string, string>;
  srv: Record<string, SrvRecord[]>;
}

const type = { A: 1, SRV: 33 } as const;
const ttlSeconds = 60;

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

/** The question's name, type and where the question ends; undefined for anything malformed. */
function parseQuestion(query: Buffer): { name: string; qtype: number; end: number } | undefined {
  const labels: string[] = [];
  let offset = 12;
  for (let guard = 0; guard < 64 && offset < query.length; guard++) {
    const length = query[offset] ?? 0;
    if (length === 0) {
      if (offset + 5 > query.length) return undefined;
      return { name: labels.join('.').toLowerCase(), qtype: query.readUInt16BE(offset + 1), end: offset + 5 };
    }
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += length + 1;
  }
  return undefined;
}

function answer(qtype: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  head.writeUInt16BE(qtype, 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(ttlSeconds, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function srvData(record: SrvRecord): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(record.priority, 0);
  fixed.writeUInt16BE(record.weight, 2);
  fixed.writeUInt16BE(record.port, 4);
  return Buffer.concat([fixed, encodeName(record.target)]);
}

export function respond(query: Buffer, zone: DnsZone): Buffer | undefined {
  if (query.length < 12) return undefined;
  const question = parseQuestion(query);
  if (!question) return undefined;
  const address = zone.a[question.name];
  const answers =
    question.qtype === type.A && address
      ? [answer(type.A, Buffer.from(address.split('.').map(Number)))]
      : question.qtype === type.SRV
        ? (zone.srv[question.name] ?? []).map((record) => answer(type.SRV, srvData(record)))
        : [];
  const known = address !== undefined || zone.srv[question.name] !== undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2); // response, authoritative, RD echoed, NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}

/** A tiny authoritative DNS server for the lab's names: A records and XMPP SRV records. */
export function startDnsServer(host: string, zone: DnsZone): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const reply = respond(query, zone);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, host, () => resolve(socket));
  });
}
