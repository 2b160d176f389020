/** The image types Burrow previews, told by their first bytes, never by what a server or a file name says. */
const signatures: { type: string; test: (head: Buffer) => boolean }[] = [
  { type: 'image/png', test: (head) => head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff },
  { type: 'image/gif', test: (head) => ['GIF87a', 'GIF89a'].includes(head.toString('latin1', 0, 6)) },
  { type: 'image/webp', test: (head) => head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP' },
];

/** The image type the bytes begin with (at least 12 of them), or null when they are no image Burrow shows. */
export function imageTypeOf(head: Buffer): string | null {
  return signatures.find(({ test }) => test(head))?.type ?? null;
}
