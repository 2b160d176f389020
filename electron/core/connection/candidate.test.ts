import { describe, expect, it } from 'vitest';

import { endpointUrl } from '../../contract/attempt-words.js';
import { candidateKey, describeCandidate, withoutSecrets } from './candidate.js';
import type { Candidate, Endpoint } from './candidate.js';

const viaProxy: Candidate = {
  endpoint: { transport: 'bosh', host: 'chat.lab.test', port: 443, path: '/http-bind', secure: true, source: 'default' },
  route: {
    kind: 'proxy',
    proxy: { type: 'http', host: 'proxy.lab.test', port: 3128, username: 'alice', password: 's3cret', resolveThroughProxy: true },
  },
};

describe('candidates', () => {
  it('describe themselves without credentials', () => {
    expect(describeCandidate(viaProxy)).toBe('BOSH https://chat.lab.test:443/http-bind via HTTP proxy proxy.lab.test:3128');
  });

  it('drop the proxy password before being shown or stored, keeping their identity', () => {
    const shown = withoutSecrets(viaProxy);
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(shown.route.kind === 'proxy' && shown.route.proxy.username).toBe('alice');
    expect(candidateKey(shown)).toBe(candidateKey(viaProxy));
  });

  it('write IPv6 endpoints as URLs with brackets', () => {
    const endpoint: Endpoint = { transport: 'directtls', host: '2001:db8::1', port: 5223, secure: true, source: 'address' };
    expect(endpointUrl(endpoint)).toBe(
      'xmpps://[2001:db8::1]:5223',
    );
  });
});
