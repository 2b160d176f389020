/** Burrow's windows all load the same page; its query says which window it is. */
export type WindowKind = 'chat' | 'preferences';

export function windowPageQuery(kind: WindowKind): string {
  return kind === 'chat' ? '' : `?window=${kind}`;
}

export function windowKindOf(search: string): WindowKind {
  return new URLSearchParams(search).get('window') === 'preferences' ? 'preferences' : 'chat';
}

export interface WindowSize {
  width: number;
  height: number;
}

/**
 * Preferences opens wide enough for a community's fields beside its list and tall enough for
 * Test connection below them; the verdict of a long race is scrolled into view as it arrives.
 */
export const PREFERENCES_WINDOW_SIZE: WindowSize = { width: 960, height: 760 };

/** A window's size shrunk to fit the screen's work area (a 1366×768 laptop leaves about 728 px). */
export function fittedTo(workArea: WindowSize, size: WindowSize): WindowSize {
  return { width: Math.min(size.width, workArea.width), height: Math.min(size.height, workArea.height) };
}
