/** Words about sharing files, made once for the UI and core's refusals. */

/** "812 bytes", "34 KB", "8 MB", "1.5 GB" (powers of 1,024, as file managers show them). */
export function byteWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value >= 10 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}

/** The limit as shown beside the attach button. */
export function uploadLimitWords(limit: { available: boolean; maxBytes: number | null }): string {
  if (!limit.available) return 'This server does not take files.';
  return limit.maxBytes === null ? 'Files of any size.' : `Files up to ${byteWords(limit.maxBytes)}.`;
}

export function tooLargeWords(name: string, size: number, maxBytes: number): string {
  return `“${name}” is ${byteWords(size)}; the server takes files up to ${byteWords(maxBytes)}.`;
}

export type UploadRefusalFacts =
  | { kind: 'too-large'; maxBytes: number | null }
  | { kind: 'quota'; text: string | null }
  | { kind: 'forbidden'; text: string | null }
  | { kind: 'other'; condition: string; text: string | null };

/** Why the server's upload service would not give the file a place. */
export function uploadRefusalWords(name: string, size: number, refusal: UploadRefusalFacts): string {
  const said = (text: string | null) => (text ? ` (it said: “${text}”)` : '');
  switch (refusal.kind) {
    case 'too-large':
      return refusal.maxBytes === null ? `The server refused “${name}” as too large.` : tooLargeWords(name, size, refusal.maxBytes);
    case 'quota':
      return `The server will take no more files from you for now: your upload quota is used up${said(refusal.text)}.`;
    case 'forbidden':
      return `The server does not let this account share files${said(refusal.text)}.`;
    case 'other':
      return `The server refused “${name}”: ${refusal.condition}${said(refusal.text)}.`;
  }
}
