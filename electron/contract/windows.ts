/** Burrow's windows all load the same page; its query says which window it is. */
export type WindowKind = 'chat' | 'preferences';

export function windowPageQuery(kind: WindowKind): string {
  return kind === 'chat' ? '' : `?window=${kind}`;
}

export function windowKindOf(search: string): WindowKind {
  return new URLSearchParams(search).get('window') === 'preferences' ? 'preferences' : 'chat';
}
