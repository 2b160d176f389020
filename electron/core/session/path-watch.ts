/**
 * Watching the path under a live stream: when it turns suspect (silent while the server owes an
 * answer), when it is dead (silent through a probe), and when the session stops using it.
 */
import { ConnectionGoneError } from '../stream/errors.js';
import type { SessionClient } from './session-link.js';

export interface PathWatch {
  intervalMs: number;
  timeoutMs: number;
  suspectAfterMs: number;
  resumedGraceMs: number;
  /** The stream has signed in: until then the sign-in's own deadlines apply (a resume may take the server 15 s). */
  signedIn: () => boolean;
  /** The stream was resumed and the server has acknowledged nothing on it yet. */
  justResumed: () => boolean;
  /** The path turned suspect (true), or was heard from again (false). */
  onSuspect: (suspect: boolean) => void;
}

/**
 * Watches a signed-in path: while something waits for the server (an ack request is out), a path
 * silent for max(`suspectAfterMs`, 4 × its round trip) is suspect (`resumedGraceMs` at least, on a
 * stream just resumed), and so is one whose ack request stays unanswered for `timeoutMs`, whatever
 * else comes. A quiet path is probed with an ack request after `intervalMs`, and dropped (without
 * closing the stream, so it can be resumed) once nothing has come for `timeoutMs` more.
 *
 * A path whose server holds a request (BOSH) answers it by a time it promised, if only empty, and
 * that answer is news from the server like any: it is not probed until the answer is overdue by
 * max(`suspectAfterMs`, 4 × its round trip). A probe there costs a request of its own, while the
 * held request proves the path anyway; the drop after `intervalMs` + `timeoutMs` of silence stands.
 */
export function watchPath(client: SessionClient, watch: PathWatch): () => void {
  const { intervalMs, timeoutMs, suspectAfterMs, resumedGraceMs, signedIn, justResumed, onSuspect } = watch;
  let probedQuietSince: number | null = null;
  let suspectSince: number | null = null;
  const check = setInterval(() => {
    if (!signedIn()) return;
    const now = Date.now();
    const quietSince = client.lastHeardAt;
    const waitingSince = client.ackRequestedAt;
    // A path that talks but leaves ack requests unanswered does not carry what is sent on it
    // (Prosody 0.12 writes to a BOSH stream taken over by TCP, but reads nothing from it).
    const unanswered = waitingSince !== null && now - waitingSince > timeoutMs;
    if (suspectSince !== null && quietSince >= suspectSince && !unanswered) {
      suspectSince = null;
      onSuspect(false);
    }
    if (suspectSince === null && waitingSince !== null) {
      const silentMs = now - Math.max(waitingSince, quietSince);
      if (unanswered || silentMs > Math.max(suspectAfterMs, 4 * (client.roundTripMs ?? 0), justResumed() ? resumedGraceMs : 0)) {
        suspectSince = now;
        onSuspect(true);
      }
    }
    const quietMs = now - quietSince;
    const answerDueAt = client.answerDueAt;
    const answerPromised = answerDueAt !== null && now <= answerDueAt + Math.max(suspectAfterMs, 4 * (client.roundTripMs ?? 0));
    if (quietMs > intervalMs + timeoutMs) {
      clearInterval(check);
      client.drop();
    } else if (quietMs >= intervalMs && probedQuietSince !== quietSince && !answerPromised) {
      probedQuietSince = quietSince;
      client.requestAck();
    }
  }, Math.min(250, intervalMs, timeoutMs, suspectAfterMs));
  check.unref();
  return () => clearInterval(check);
}

/** `lost` rejects when the connection goes, or when the session stops using it (`stop`). */
export function whenConnectionLost(client: SessionClient): { lost: Promise<never>; stop: () => void } {
  let lose = () => {};
  const lost = new Promise<never>((_, reject) => {
    lose = () => reject(new ConnectionGoneError());
  });
  lost.catch(() => {});
  client.on('disconnect', lose);
  return {
    lost,
    stop: () => {
      client.off('disconnect', lose);
      lose();
    },
  };
}
