/**
 * A connection path as the contract carries it: how XMPP is framed, where the server listens and
 * which way the connection goes. The words for it are made in attempt-words.ts.
 */
import { z } from 'zod';

export const Transport = z.enum(['starttls', 'directtls', 'websocket', 'bosh']);
export type Transport = z.infer<typeof Transport>;

export const PathEndpoint = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  /** HTTP path of a WebSocket or BOSH endpoint. */
  path: z.string().optional(),
  /** Encrypted end to end: TLS, STARTTLS, wss, https. */
  secure: z.boolean(),
});
export type PathEndpoint = z.infer<typeof PathEndpoint>;

export const PathRoute = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct') }),
  /** As the OS, PAC or environment says; `systemNetworkStack`: carried by the system's own network stack. */
  z.strictObject({ kind: z.literal('system'), systemNetworkStack: z.boolean() }),
  z.strictObject({ kind: z.literal('proxy'), proxyType: z.enum(['http', 'https', 'socks4', 'socks5']), host: z.string(), port: z.number().int() }),
]);
export type PathRoute = z.infer<typeof PathRoute>;

export const AttemptPath = z.strictObject({ transport: Transport, endpoint: PathEndpoint, route: PathRoute });
export type AttemptPath = z.infer<typeof AttemptPath>;
