/**
 * The attempts of a race as a waterfall, like a browser's network panel: one row per path, a bar
 * per phase on one time axis, the winner marked, each failure labelled with its cause. Drawn once
 * as a tree of SVG elements; the renderer turns the tree into React elements, `diagnose --svg`
 * into markup (svgMarkup), so the picture is the same in both.
 */
import type { AttemptView } from './attempt-view.js';
import { attemptCauseWords, pathWords } from './attempt-words.js';

/** An SVG element, with its attributes named as SVG names them. */
export interface SvgElement {
  tag: 'svg' | 'title' | 'desc' | 'g' | 'rect' | 'line' | 'text';
  attributes: Record<string, string | number>;
  children?: Array<SvgElement | string>;
}

export type Phase = 'reach' | 'wait' | 'tls' | 'features' | 'negotiate' | 'sign-in';

export const phaseWords: Record<Phase, string> = {
  reach: 'opening the route',
  wait: 'waiting for a faster path',
  tls: 'TLS',
  features: 'XMPP stream features',
  // BOSH: its TLS goes with its first request, so the two are one phase.
  negotiate: 'TLS and XMPP stream features',
  'sign-in': 'signing in',
};

const phaseColours: Record<Phase, string> = {
  reach: '#8fb3e3',
  wait: '#d3d6db',
  tls: '#e0a030',
  features: '#2f6fdf',
  negotiate: '#2f6fdf',
  'sign-in': '#8a5cc7',
};
const outcomeColours = { won: '#237a45', failed: '#c0392b', other: '#5f6670' };

/** How the sign-in after the race went, on the winner's row. */
export interface SignInBar {
  endedAtMs: number;
  signedIn: boolean;
}

export interface WaterfallInput {
  attempts: readonly AttemptView[];
  signIn?: SignInBar;
  /** While the race runs: where the bars of running attempts end. */
  nowMs?: number;
  /** Unique within the page, for the title's and description's ids. */
  idPrefix?: string;
}

export interface PhaseSpan {
  phase: Phase;
  fromMs: number;
  toMs: number;
}

/** The phases an attempt went through, each from its start to the next one's. */
export function phaseSpans(attempt: AttemptView, nowMs: number, signIn?: SignInBar): PhaseSpan[] {
  const { startedAtMs, reachedAtMs, negotiatingAtMs, securedAtMs } = attempt;
  if (startedAtMs === undefined) return [];
  const endMs = attempt.endedAtMs ?? nowMs;
  const marks: Array<[Phase, number | undefined]> = [
    ['reach', startedAtMs],
    ['wait', reachedAtMs],
    [securedAtMs === undefined ? 'negotiate' : 'tls', negotiatingAtMs],
    ['features', securedAtMs],
  ];
  const known = marks.filter((mark): mark is [Phase, number] => mark[1] !== undefined);
  const spans = known.map(([phase, fromMs], index) => ({ phase, fromMs, toMs: known[index + 1]?.[1] ?? endMs }));
  if (attempt.outcome === 'won' && signIn) spans.push({ phase: 'sign-in', fromMs: endMs, toMs: signIn.endedAtMs });
  // A phase that took no time (reached and negotiating at once) is no bar.
  return spans.filter((span) => span.toMs > span.fromMs);
}

function outcomeLabel(attempt: AttemptView, signIn: SignInBar | undefined): string {
  switch (attempt.outcome) {
    case 'won':
      return signIn ? (signIn.signedIn ? 'won, signed in' : 'won, sign-in failed') : 'won';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return attempt.cause ? 'stopped, silent' : 'stopped: another path won';
    case 'running':
      return 'trying…';
    case 'not-started':
      return attempt.excluded ? 'not tried: unencrypted' : 'not started';
    case 'skipped':
      return 'skipped';
    case 'reachable':
      return 'reachable, but unencrypted';
  }
}

/** "0", "250 ms", "1 s", "1.5 s" */
function tickWords(ms: number): string {
  if (ms === 0) return '0';
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

function tickStep(spanMs: number): number {
  const steps = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000];
  return steps.find((step) => spanMs / step <= 8) ?? 60_000;
}

/** The accessible name: what a glance at the picture tells. */
export function waterfallSummary(attempts: readonly AttemptView[]): string {
  const winner = attempts.find((attempt) => attempt.outcome === 'won');
  const failed = attempts.filter((attempt) => attempt.outcome === 'failed').length;
  const rows = `${attempts.length} ${attempts.length === 1 ? 'path' : 'paths'}`;
  const outcome = winner
    ? `${pathWords(winner.path)} won at ${Math.round(winner.endedAtMs ?? 0)} ms`
    : attempts.some((attempt) => attempt.outcome === 'running')
      ? 'still trying'
      : 'none connected';
  return `Connection attempts as a waterfall: ${rows}, ${outcome}${failed > 0 ? `, ${failed} failed` : ''}`;
}

const width = 960;
const labelWidth = 330;
const plotLeft = labelWidth + 10;
const plotRight = width - 150;
const rowHeight = 40;
const top = 30;

export function waterfallDrawing({ attempts, signIn, nowMs = 0, idPrefix = 'waterfall' }: WaterfallInput): SvgElement {
  const ends = attempts.flatMap((attempt) => [attempt.endedAtMs ?? nowMs, attempt.startedAtMs ?? 0]);
  const spanMs = Math.max(1, nowMs, signIn?.endedAtMs ?? 0, ...ends);
  const step = tickStep(spanMs);
  const axisMs = Math.ceil(spanMs / step) * step;
  const x = (ms: number) => plotLeft + (ms / axisMs) * (plotRight - plotLeft);
  const legendY = top + attempts.length * rowHeight + 6;
  const height = legendY + 24;

  const ticks: SvgElement[] = [];
  for (let ms = 0; ms <= axisMs; ms += step) {
    ticks.push(
      { tag: 'line', attributes: { x1: x(ms), x2: x(ms), y1: top - 6, y2: legendY, stroke: '#e3e5e8' } },
      { tag: 'text', attributes: { x: x(ms), y: top - 12, 'text-anchor': 'middle', fill: '#5f6670' }, children: [tickWords(ms)] },
    );
  }

  const rows = attempts.map((attempt, index) => waterfallRow(attempt, top + index * rowHeight, x, nowMs, attempt.outcome === 'won' ? signIn : undefined));
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  return {
    tag: 'svg',
    attributes: {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': titleId,
      'aria-describedby': descId,
      'font-family': 'system-ui, sans-serif',
      'font-size': 12,
      class: 'waterfall',
    },
    children: [
      { tag: 'title', attributes: { id: titleId }, children: [waterfallSummary(attempts)] },
      {
        tag: 'desc',
        attributes: { id: descId },
        children: [`Bars per phase: ${[phaseWords.reach, phaseWords.wait, phaseWords.tls, phaseWords.features, phaseWords['sign-in']].join(', ')}; times from the start of the race.`],
      },
      { tag: 'rect', attributes: { width, height, fill: '#ffffff' } },
      ...ticks,
      ...rows,
      legend(legendY),
    ],
  };
}

/** What each colour stands for, under the rows. */
function legend(y: number): SvgElement {
  // BOSH's one phase for TLS and features has the features' colour.
  const shown: Phase[] = ['reach', 'wait', 'tls', 'features', 'sign-in'];
  let x = 8;
  const children: SvgElement[] = [];
  for (const phase of shown) {
    children.push(
      { tag: 'rect', attributes: { x, y: y + 4, width: 12, height: 12, fill: phaseColours[phase] } },
      { tag: 'text', attributes: { x: x + 16, y: y + 14, fill: '#5f6670', 'font-size': 11 }, children: [phaseWords[phase]] },
    );
    x += 24 + phaseWords[phase].length * 6;
  }
  return { tag: 'g', attributes: { class: 'waterfall-legend' }, children };
}

function waterfallRow(attempt: AttemptView, y: number, x: (ms: number) => number, nowMs: number, signIn: SignInBar | undefined): SvgElement {
  const spans = phaseSpans(attempt, nowMs, signIn);
  const outcome = outcomeLabel(attempt, signIn);
  const colour = attempt.outcome === 'won' ? outcomeColours.won : attempt.outcome === 'failed' ? outcomeColours.failed : outcomeColours.other;
  const cause = attempt.cause ? attemptCauseWords(attempt.cause) : '';
  const barsEnd = spans.length > 0 ? x(spans.at(-1)!.toMs) : x(0);
  const children: Array<SvgElement | string> = [
    { tag: 'title', attributes: {}, children: [[pathWords(attempt.path), outcome, cause].filter(Boolean).join(' — ')] },
    { tag: 'text', attributes: { x: 8, y: y + 14, fill: '#1f2328' }, children: [clip(pathWords(attempt.path), 52)] },
    ...spans.map(
      (span): SvgElement => ({
        tag: 'rect',
        attributes: { x: x(span.fromMs), y: y + 4, width: Math.max(1, x(span.toMs) - x(span.fromMs)), height: 12, fill: phaseColours[span.phase], class: `phase-${span.phase}` },
        children: [{ tag: 'title', attributes: {}, children: [`${phaseWords[span.phase]}: ${Math.round(span.fromMs)}–${Math.round(span.toMs)} ms`] }],
      }),
    ),
    { tag: 'text', attributes: { x: barsEnd + 6, y: y + 14, fill: colour, 'font-weight': attempt.outcome === 'won' ? 'bold' : 'normal' }, children: [outcome] },
  ];
  if (cause) children.push({ tag: 'text', attributes: { x: 20, y: y + 31, fill: colour, 'font-size': 11 }, children: [clip(cause, 150)] });
  return { tag: 'g', attributes: { class: `waterfall-row waterfall-${attempt.outcome}` }, children };
}

/** Long words are cut with an ellipsis; each row's title carries them in full. */
function clip(text: string, characters: number): string {
  return text.length <= characters ? text : `${text.slice(0, characters - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The drawing as a standalone SVG document. */
export function svgMarkup(element: SvgElement): string {
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
  const children = (element.children ?? []).map((child) => (typeof child === 'string' ? escapeXml(child) : svgMarkup(child))).join('');
  return `<${element.tag}${attributes}>${children}</${element.tag}>`;
}
