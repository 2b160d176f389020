/**
 * What a tampered renderer could send: a request over the same /ipc socket the page itself uses,
 * bypassing the UI's own checks. The answer is the contract's outcome, `{ ok, … }`.
 */
import type { Page } from '@playwright/test';

export async function invokeOverSocket(page: Page, channel: string, payload: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ channel, payload }) => {
      const socket = new WebSocket(`ws://${location.host}/ipc`);
      try {
        return await new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no answer from /ipc within 5 s')), 5_000);
          socket.addEventListener('error', () => reject(new Error('could not open /ipc')));
          socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload })));
          socket.addEventListener('message', (event: MessageEvent<string>) => {
            const message = JSON.parse(event.data) as { type: string; id?: number; outcome?: unknown };
            if (message.type === 'result' && message.id === 1) {
              clearTimeout(timer);
              resolve(message.outcome);
            }
          });
        });
      } finally {
        socket.close();
      }
    },
    { channel, payload },
  );
}
