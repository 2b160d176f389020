/**
 * What a damaged outbox line still holds. A crash tears only the line being written, the newest,
 * which may be a message the user sent and Burrow never got to send: keep it when its recipient
 * and its whole text survive, else say which message was lost and how it began.
 */
import { Allow, parse as parsePartialJson } from 'partial-json';

export type Salvage =
  | { kind: 'message'; originId: string; to: string; replaces: string | null; body: string; createdAt: string | null }
  | { kind: 'lost-message'; to: string | null; textBegan: string }
  /** Not a stored message (a state change, or nothing readable): no message's text is in it. */
  | { kind: 'no-message' };

interface PartialStored {
  kind?: unknown;
  message?: { originId?: unknown; to?: unknown; replaces?: unknown; body?: unknown; createdAt?: unknown };
}

export function salvageOutboxLine(line: string): Salvage {
  // Without Allow.STR, a string cut off is left out: whatever string is here is whole.
  const whole = readPartial(line, Allow.ALL & ~Allow.STR);
  if (whole?.kind !== 'stored') return { kind: 'no-message' };
  const { originId, to, replaces, body, createdAt } = whole.message ?? {};
  if (typeof originId === 'string' && originId !== '' && typeof to === 'string' && to !== '' && typeof body === 'string') {
    // A correction's `replaces` comes before its body: a whole body means a whole `replaces`.
    return { kind: 'message', originId, to, replaces: typeof replaces === 'string' && replaces !== '' ? replaces : null, body, createdAt: typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) ? createdAt : null };
  }
  const cut = readPartial(line, Allow.ALL)?.message ?? {};
  return { kind: 'lost-message', to: typeof cut.to === 'string' ? cut.to : null, textBegan: typeof cut.body === 'string' ? cut.body : '' };
}

function readPartial(line: string, allow: number): PartialStored | undefined {
  try {
    const value: unknown = parsePartialJson(line, allow);
    return typeof value === 'object' && value !== null ? (value as PartialStored) : undefined;
  } catch {
    return undefined;
  }
}
