/**
 * Chromium's network stack for BOSH over HTTPS with "Use my system proxy settings": the default
 * session applies the system's proxy settings, PAC and WPAD, signs in to the proxy with the
 * user's Windows credentials where the proxy offers NTLM or Negotiate, and verifies certificates
 * with the system's store. A proxy asking for a typed password (Basic, Digest) gets none: this
 * method stores none, and Burrow handles no login prompt, so the attempt fails.
 */
import { session } from 'electron';

import { fetchHttpStack } from '../core/index.js';
import type { HttpStack } from '../core/index.js';

export function chromiumHttpStack(): HttpStack {
  return fetchHttpStack((url, init) => session.defaultSession.fetch(url, { ...init, bypassCustomProtocolHandlers: true }));
}
