/** Burrow's windows all load the same page; its query says which window it is. */
import { z } from 'zod';

import { PreferencesField } from './diagnosis.js';

export type WindowKind = 'chat' | 'preferences';

/** Where Preferences opens: a community's field that advice points to. */
export const PreferencesPlace = z.strictObject({ communityId: z.string().min(1), field: PreferencesField });
export type PreferencesPlace = z.infer<typeof PreferencesPlace>;

export function windowPageQuery(kind: WindowKind, place?: PreferencesPlace): string {
  if (kind === 'chat') return '';
  const query = new URLSearchParams({ window: kind, ...(place ? { community: place.communityId, field: place.field } : {}) });
  return `?${query}`;
}

/** The place a Preferences page was opened at, if its query names a valid one. */
export function preferencesPlaceOf(search: string): PreferencesPlace | null {
  const query = new URLSearchParams(search);
  const place = PreferencesPlace.safeParse({ communityId: query.get('community'), field: query.get('field') });
  return place.success ? place.data : null;
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
