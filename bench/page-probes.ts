/**
 * What the scale bench runs inside Burrow's page, so that a time is taken on the page's own clock
 * at the frame the page shows something, not when a round trip to Playwright reports it.
 * Playwright sends these functions as their source text: they use nothing from outside
 * themselves but their one argument.
 */

/** The little of the DOM these functions touch: the bench compiles without the DOM library. */
interface ProbeElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<ProbeElement>;
  closest(selector: string): ProbeElement | null;
  contains(other: ProbeElement): boolean;
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number };
}
interface ProbeSocket {
  send(data: string): void;
  addEventListener(type: 'message', listener: (event: { data: string }) => void): void;
  addEventListener(type: 'open', listener: () => void, options: { once: true }): void;
}
declare const document: {
  querySelector(selector: string): ProbeElement | null;
  elementFromPoint(x: number, y: number): ProbeElement | null;
};
declare const window: { addEventListener(type: string, listener: (event: { key?: string }) => void, capture: boolean): void };
declare const location: { host: string };
declare const WebSocket: new (url: string) => ProbeSocket;

/** Lives in the page: the contract spoken over a socket of its own, and when the user last acted. */
export interface PageProbe {
  /** When the contract first told an account connecting, that is signing in (page clock, ms). */
  signInAt: number | null;
  /** When the last click or Enter reached the page. */
  inputAt: number | null;
  invoke(channel: string, payload?: unknown): Promise<unknown>;
}

/** Installs the probe; `ipcPath` is the host's contract path. The page's cookie admits the socket. */
export function installProbe(ipcPath: string): PageProbe {
  const socket = new WebSocket(`ws://${location.host}${ipcPath}`);
  const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
  const answers = new Map<number, (outcome: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  let nextId = 0;
  const probe: PageProbe = {
    signInAt: null,
    inputAt: null,
    async invoke(channel, payload) {
      await opened;
      const id = nextId++;
      const outcome = new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => answers.set(id, resolve));
      socket.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      const answer = await outcome;
      if (!answer.ok) throw new Error(`${channel}: ${answer.error?.message ?? 'failed'}`);
      return answer.value;
    },
  };
  socket.addEventListener('message', ({ data }) => {
    const message = JSON.parse(data) as { type: string; id?: number; channel?: string; payload?: { lifecycle?: { state?: string } }; outcome?: never };
    if (message.type === 'result' && message.id !== undefined) answers.get(message.id)?.(message.outcome!);
    if (message.type === 'event' && message.channel === 'account:changed' && message.payload?.lifecycle?.state === 'connecting') probe.signInAt ??= performance.now();
  });
  window.addEventListener('click', () => (probe.inputAt = performance.now()), true);
  window.addEventListener('keydown', (event) => event.key === 'Enter' && (probe.inputAt = performance.now()), true);
  return probe;
}

/**
 * Milliseconds from the account starting to sign in (connecting: the race, signing in, the roster
 * fetched) to the list of contacts showing `firstName` and holding
 * `count` contacts (the rendered items, or the size a virtual list gives them with aria-setsize);
 * false until then. For waitForFunction, polled every frame.
 */
export function rosterShownSinceSignIn([probe, firstName, count]: readonly [PageProbe, string, number]): number | false {
  const list = document.querySelector('[aria-label="Contacts"]');
  if (probe.signInAt === null || !list?.textContent?.includes(firstName)) return false;
  const items = Array.from(list.querySelectorAll('li:not([role="presentation"]), [role="listitem"]'));
  const setSize = Math.max(0, ...items.map((item) => Number(item.getAttribute('aria-setsize') ?? 0)));
  return Math.max(items.length, setSize) >= count && performance.now() - probe.signInAt;
}

/**
 * Milliseconds from the last click or Enter to a message with `text` being on screen in the
 * conversation (hit-tested over the message log, so only what is in view counts); false until then.
 */
export function visibleSinceInput([probe, text]: readonly [PageProbe, string]): number | false {
  const log = document.querySelector('[role="log"]');
  if (probe.inputAt === null || !log) return false;
  const box = log.getBoundingClientRect();
  // Bubbles sit at either side and are only as wide as their text: each row is tried at both
  // edges first, then across, until an item is hit.
  const xs = [box.left + 24, box.right - 24];
  for (let x = box.left + 48; x < box.right - 48; x += 24) xs.push(x);
  for (let y = box.bottom - 2; y > box.top; y -= 10) {
    for (const x of xs) {
      const hit = document.elementFromPoint(x, y);
      const item = hit && log.contains(hit) ? hit.closest('li, [role="listitem"]') : null;
      if (!item) continue;
      if (item.textContent?.includes(text)) return performance.now() - probe.inputAt;
      break;
    }
  }
  return false;
}
