/** What a parser returns for server data it cannot use: never an exception, always a reason. */
export interface Ignored {
  kind: 'ignored';
  reason: string;
}

export function ignored(reason: string): Ignored {
  return { kind: 'ignored', reason };
}
