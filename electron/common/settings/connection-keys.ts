/**
 * Connection settings as flat keys (`method`, `proxy.host`, …): the unit that is resolved,
 * shown with its source and locked by an administrator.
 */
import { builtInConnectionSettings } from './schema.js';
import type { ConnectionOverrides, ConnectionSettings, ProxyFields } from './schema.js';

export type FlatConnection = Omit<ConnectionSettings, 'proxy'> & { [K in keyof ProxyFields as `proxy.${K}`]: ProxyFields[K] };
export type ConnectionKey = keyof FlatConnection;

export function flattenConnection(values: ConnectionOverrides): Partial<FlatConnection> {
  const { proxy = {}, ...rest } = values;
  return { ...rest, ...Object.fromEntries(Object.entries(proxy).map(([key, value]) => [`proxy.${key}`, value])) };
}

export function nestConnection(flat: Partial<FlatConnection>): ConnectionOverrides {
  const nested: Record<string, unknown> = {};
  const proxy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith('proxy.')) proxy[key.slice('proxy.'.length)] = value;
    else nested[key] = value;
  }
  if (Object.keys(proxy).length > 0) nested.proxy = proxy;
  return nested as ConnectionOverrides;
}

export const connectionKeys = Object.keys(flattenConnection(builtInConnectionSettings)) as readonly ConnectionKey[];

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
