import { expect, it } from 'vitest';
import { describeWithLab, probe } from './testing.js';

const delayMs = 100;
const boshPlainRequest = { kind: 'http', url: 'http://chat.lab.test/http-bind' } as const;

describeWithLab('the delay relay', { scenario: 'S1', delayMs }, (lab) => {
  it(`delays each direction between client and server by ${delayMs} ms, keeping the names and ports`, async () => {
    const result = await probe(lab(), boshPlainRequest);
    expect(result.status).toBe(200);
    // One HTTP round trip: request there, answer back.
    expect(result.ms).toBeGreaterThanOrEqual(2 * delayMs);
    expect(result.ms).toBeLessThan(2 * delayMs + 1000);
  });

  it('also delays the paths through the proxies', async () => {
    const route = { kind: 'http-connect', proxy: lab().proxies.http } as const;
    const result = await probe(lab(), { kind: 'http', url: lab().endpoints.bosh, caFile: lab().caFile, route });
    expect(result.status, result.message).toBe(200);
    // CONNECT, the TLS handshake and the request: three round trips to the proxy, at least two counted generously.
    expect(result.ms).toBeGreaterThanOrEqual(4 * delayMs);
  });

  it('still applies scenarios in front of the relays', async () => {
    await lab().applyScenario('S2');
    const result = await probe(lab(), { kind: 'tcp', target: { host: 'chat.lab.test', port: 5222 } });
    expect(result.outcome).toBe('refused');
  });
});
