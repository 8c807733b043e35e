/** Lines longer than this are cut: a 50 MB line with no newline must not become a 50 MB string. */
export const MAX_LINE_CHARS = 16 * 1024;
export const LINE_CUT_MARK = " …[line cut]";
/** Chunks larger than this are decoded in pieces (see below). */
const PIECE = 32 * 1024;

/**
 * Splits a byte stream into lines without holding more than one chunk and one (capped) line in memory. Lines come
 * in batches, one per chunk read: a 500 MB log is millions of lines, and one await per line would cost more than
 * reading them. `\r` is kept: progress redraws are the normaliser's business. Multi-byte characters split across
 * chunks are decoded correctly.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<string[]> {
  // The first bytes of a character cut by the chunk boundary; decoded with the next chunk.
  let pending: Buffer | undefined;
  let current = "";
  let cut = false;
  const take = (text: string, out: string[]): void => {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const piece = nl === -1 ? text.slice(start) : text.slice(start, nl);
      if (!cut) {
        const room = maxLineChars - current.length;
        if (piece.length > room) {
          current += piece.slice(0, Math.max(0, room));
          cut = true;
        } else {
          current += piece;
        }
      }
      if (nl === -1) break;
      out.push(cut ? current + LINE_CUT_MARK : current);
      current = "";
      cut = false;
      start = nl + 1;
    }
  };
  for await (const chunk of chunks) {
    const lines: string[] = [];
    if (typeof chunk === "string") {
      if (pending) take(pending.toString("utf8"), lines);
      pending = undefined;
      take(chunk, lines);
    } else {
      let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (pending) bytes = Buffer.concat([pending, bytes]);
      // `toString` on whole characters is several times faster than a StringDecoder.
      const end = wholeCharacters(bytes);
      pending = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
      // Decoded in pieces of 16 to 32 KiB that end after a newline (so on a character boundary): a 64 KiB string of
      // wide characters lands in V8's large-object space, which measurably raised peak RSS on a 1 GB log.
      let from = 0;
      while (end - from > PIECE) {
        const nl = bytes.indexOf(10, from + PIECE / 2);
        if (nl === -1 || nl >= end) break;
        take(bytes.toString("utf8", from, nl + 1), lines);
        from = nl + 1;
      }
      take(bytes.toString("utf8", from, end), lines);
    }
    if (lines.length > 0) yield lines;
  }
  const last: string[] = [];
  if (pending) take(pending.toString("utf8"), last);
  if (current.length > 0 || cut) last.push(cut ? current + LINE_CUT_MARK : current);
  if (last.length > 0) yield last;
}

/** The length of `bytes` without a trailing UTF-8 sequence that the next chunk completes. */
function wholeCharacters(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i -= 1) {
    const b = bytes[i] as number;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return n - i < size ? i : n;
    }
  }
  return n;
}
