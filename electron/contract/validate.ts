/**
 * The validator at every IPC boundary: a payload is checked against the contract before a
 * handler sees it, a handler's answer is checked before it leaves, and anything that goes
 * wrong becomes an error response instead of a crash.
 */
import type { z } from 'zod';
import { fieldIssues, formatIssues } from '../common/settings/issues.js';
import {
  events,
  isRequestChannel,
  requests,
  type ContractError,
  type EventChannel,
  type EventOf,
  type Outcome,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
} from './contract.js';
import { errorWords } from './error-words.js';

type Answer<C extends RequestChannel> = ResponseOf<C> extends undefined ? void : ResponseOf<C>;
export type Handler<C extends RequestChannel> = (payload: RequestOf<C>) => Answer<C> | Promise<Answer<C>>;
export type Handlers<C extends RequestChannel> = { [K in C]: Handler<K> };

/** A handler may throw this to answer with a specific error code (e.g. 'forbidden'). */
export class HandlerError extends Error {
  constructor(
    readonly code: ContractError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

export function describeIssues(error: z.ZodError): string {
  return formatIssues(fieldIssues(error), '; ');
}

function failure(code: ContractError['code'], message: string): Outcome<never> {
  return { ok: false, error: { code, message } };
}

export async function dispatch<C extends RequestChannel>(
  handlers: Partial<Handlers<C>>,
  channel: unknown,
  payload: unknown,
): Promise<Outcome<unknown>> {
  if (!isRequestChannel(channel)) return failure('invalid-channel', `Unknown request channel ${JSON.stringify(channel)}.`);
  const handler = (handlers as Partial<Record<RequestChannel, Handler<RequestChannel>>>)[channel];
  if (!handler) return failure('invalid-channel', `${channel} is not served here.`);
  const parsedRequest = requests[channel].request.safeParse(payload);
  if (!parsedRequest.success) {
    return failure('invalid-payload', `${channel}: invalid payload (${describeIssues(parsedRequest.error)}).`);
  }
  let value: unknown;
  try {
    value = await handler(parsedRequest.data as never);
  } catch (error) {
    if (error instanceof HandlerError) return failure(error.code, error.message);
    return failure('failed', `${channel} failed: ${errorWords(error)}`);
  }
  const parsedResponse = requests[channel].response.safeParse(value);
  if (!parsedResponse.success) {
    return failure('failed', `${channel} produced an invalid response (${describeIssues(parsedResponse.error)}).`);
  }
  return { ok: true, value: parsedResponse.data };
}

/** Checks an event before it is pushed, so a bug in core cannot send the UI malformed data. */
export function validateEvent<E extends EventChannel>(channel: E, payload: EventOf<E>): EventOf<E> {
  return events[channel].parse(payload) as EventOf<E>;
}
