/**
 * The namespace's end of a loopback bridge (loopback-bridge.ts): listens on a Unix socket and
 * carries each connection to 127.0.0.1:PORT in the namespace it runs in.
 * Started as `node dist/lab/loopback-bridge-agent.js SOCKET PORT`.
 */
import { forwardConnections } from './loopback-bridge.js';

const [socketPath, port] = process.argv.slice(2);
if (!socketPath || !port) throw new Error('usage: loopback-bridge-agent.js SOCKET PORT');
await forwardConnections({ path: socketPath }, { host: '127.0.0.1', port: Number(port) });
console.log(`bridge agent ready: ${socketPath} → 127.0.0.1:${port}`);
