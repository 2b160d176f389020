/**
 * Notices a network change (other addresses, another gateway) by looking at the interfaces every
 * few seconds: Node has no change event, and a few seconds is well within what a user notices.
 */
import { currentNetworkFacts, networkFingerprint } from '../connection/winners.js';

export function currentNetwork(proxyConfiguration: string): Promise<string> {
  return currentNetworkFacts(proxyConfiguration).then(networkFingerprint);
}

export function watchNetwork(onChange: () => void, intervalMs = 3_000): () => void {
  let last: string | undefined;
  const check = async () => {
    const now = await currentNetwork('');
    if (last !== undefined && now !== last) onChange();
    last = now;
  };
  void check();
  const timer = setInterval(() => void check().catch(() => {}), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
