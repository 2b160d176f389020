import { createElement, useId, type ReactNode } from 'react';
import type { AttemptView } from '../../../electron/contract/attempt-view.js';
import { waterfallDrawing, type SignInBar, type SvgElement } from '../../../electron/contract/waterfall.js';

/** SVG names its attributes with hyphens; React wants them in camelCase, except aria-*. */
function reactProps(attributes: SvgElement['attributes']): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name === 'class' ? 'className' : name.startsWith('aria-') ? name : name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      value,
    ]),
  );
}

function render(element: SvgElement, key?: number): ReactNode {
  const children = (element.children ?? []).map((child, index) => (typeof child === 'string' ? child : render(child, index)));
  return createElement(element.tag, { ...reactProps(element.attributes), key }, ...children);
}

/** The attempts as a picture (contract/waterfall.ts draws it): one row per path, a bar per phase. */
export function Waterfall({ attempts, signIn, nowMs }: { attempts: readonly AttemptView[]; signIn?: SignInBar | undefined; nowMs?: number }) {
  const idPrefix = `waterfall-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  if (attempts.length === 0) return null;
  return (
    <figure className="waterfall-figure">
      {render(waterfallDrawing({ attempts, ...(signIn ? { signIn } : {}), ...(nowMs === undefined ? {} : { nowMs }), idPrefix }))}
    </figure>
  );
}
