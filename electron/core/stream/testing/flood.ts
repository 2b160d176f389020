/** What a hostile server sends to flood its client, and how, for tests of Burrow's limits. */

/** The start of a message stanza, then text and more text: a stanza that never ends. */
export function* endlessStanza(): Generator<string> {
  yield "<message from='bob@localhost/phone' type='chat'><body>";
  for (;;) yield 'x'.repeat(1024);
}

/** A message stanza whose body is `bodyBytes` long, in pieces of 64 KiB as a server writes it to the network. */
export function largeStanza(bodyBytes: number): string[] {
  const text = `<message from='bob@localhost/phone' type='chat'><body>${'x'.repeat(bodyBytes)}</body></message>`;
  const pieceLength = 64 * 1024;
  return Array.from({ length: Math.ceil(text.length / pieceLength) }, (_, index) => text.slice(index * pieceLength, (index + 1) * pieceLength));
}

/**
 * Writes each piece on a turn of its own, once the client has taken the one before (as the network
 * would bring them: a loop of writes alone would starve the client), until the pieces end or
 * `write` says the connection is gone.
 */
export async function writeInPieces<Piece>(write: (piece: Piece) => Promise<boolean>, pieces: Iterable<Piece>): Promise<void> {
  for (const piece of pieces) {
    if (!(await write(piece))) return;
    await new Promise(setImmediate);
  }
}
