/** Browser mode's framing of the contract over one WebSocket (see electron/host). */
import { z } from 'zod';
import { ContractError } from './contract.js';

export const IPC_PATH = '/ipc';

export const ClientMessage = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  payload: z.unknown().optional(),
});
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('result'),
    id: z.number().int().nonnegative().nullable(),
    outcome: z.union([
      // JSON drops `value` when a request answers nothing (undefined), e.g. account:connect.
      z.strictObject({ ok: z.literal(true), value: z.unknown().optional() }).transform(({ ok, value }) => ({ ok, value })),
      z.strictObject({ ok: z.literal(false), error: ContractError }),
    ]),
  }),
  z.strictObject({ type: z.literal('event'), channel: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
