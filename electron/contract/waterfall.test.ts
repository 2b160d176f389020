// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

import type { AttemptView } from './attempt-view.js';
import { phaseSpans, svgMarkup, waterfallDrawing, waterfallSummary } from './waterfall.js';

const host = 'chat.lab.test';
const tls: AttemptView = {
  attempt: 1,
  path: { transport: 'directtls', endpoint: { host, port: 5223, secure: true }, route: { kind: 'direct' } },
  excluded: false,
  outcome: 'cancelled',
  startedAtMs: 0,
  endedAtMs: 412,
  cause: { kind: 'no-answer', target: `${host}:5223`, withinMs: 250, nextPathTried: true },
};
const wss: AttemptView = {
  attempt: 2,
  path: { transport: 'websocket', endpoint: { host, port: 443, path: '/xmpp-websocket', secure: true }, route: { kind: 'direct' } },
  excluded: false,
  outcome: 'won',
  startedAtMs: 250,
  reachedAtMs: 280,
  negotiatingAtMs: 300,
  securedAtMs: 350,
  endedAtMs: 412,
};
const boshPlain: AttemptView = {
  attempt: 3,
  path: { transport: 'bosh', endpoint: { host, port: 80, path: '/http-bind', secure: false }, route: { kind: 'direct' } },
  excluded: true,
  outcome: 'not-started',
};

describe('the attempts as a waterfall', () => {
  it('splits an attempt into its phases on the race clock, and the sign-in after the winner', () => {
    expect(phaseSpans(wss, 412, { endedAtMs: 650, signedIn: true })).toEqual([
      { phase: 'reach', fromMs: 250, toMs: 280 },
      { phase: 'wait', fromMs: 280, toMs: 300 },
      { phase: 'tls', fromMs: 300, toMs: 350 },
      { phase: 'features', fromMs: 350, toMs: 412 },
      { phase: 'sign-in', fromMs: 412, toMs: 650 },
    ]);
    const bosh: AttemptView = { ...wss, securedAtMs: undefined } as AttemptView;
    expect(phaseSpans(bosh, 412).map(({ phase }) => phase)).toEqual(['reach', 'wait', 'negotiate']);
    expect(phaseSpans({ ...tls, endedAtMs: undefined, outcome: 'running' } as AttemptView, 300)).toEqual([{ phase: 'reach', fromMs: 0, toMs: 300 }]);
    expect(phaseSpans(boshPlain, 412)).toEqual([]);
  });

  it('is an image named by what it shows, one row per path, the winner marked and each failure labelled with its cause', () => {
    const svg = new DOMParser().parseFromString(svgMarkup(waterfallDrawing({ attempts: [tls, wss, boshPlain], signIn: { endedAtMs: 650, signedIn: true } })), 'image/svg+xml');
    expect(svg.querySelector('parsererror')).toBeNull();
    const image = svg.documentElement;
    expect(image.getAttribute('role')).toBe('img');
    const title = svg.getElementById(image.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).toBe('Connection attempts as a waterfall: 3 paths, WebSocket over HTTPS, no proxy won at 412 ms');
    const rows = Array.from(svg.querySelectorAll('g.waterfall-row'));
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toContain('no answer from chat.lab.test:5223 within 250 ms');
    expect(rows[1]?.getAttribute('class')).toContain('waterfall-won');
    expect(rows[1]?.textContent).toContain('won, signed in');
    expect(rows[1]?.querySelectorAll('rect')).toHaveLength(5);
    expect(rows[2]?.textContent).toContain('not tried: unencrypted');
  });

  it('escapes what it quotes from the network', () => {
    const hostile: AttemptView = { ...tls, cause: { kind: 'other', target: `${host}:5223`, message: '<script>&"' } };
    const markup = svgMarkup(waterfallDrawing({ attempts: [hostile] }));
    expect(markup).not.toContain('<script>');
    expect(new DOMParser().parseFromString(markup, 'image/svg+xml').querySelector('parsererror')).toBeNull();
  });

  it('says while the race runs that it is still trying', () => {
    expect(waterfallSummary([{ ...tls, outcome: 'running' }])).toBe('Connection attempts as a waterfall: 1 path, still trying');
  });
});
