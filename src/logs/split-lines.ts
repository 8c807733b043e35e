import { StringDecoder } from "node:string_decoder";

/** Lines longer than this are cut: a 50 MB line with no newline must not become a 50 MB string. */
export const MAX_LINE_CHARS = 16 * 1024;
export const LINE_CUT_MARK = " …[line cut]";

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
  const decoder = new StringDecoder("utf8");
  let current = "";
  let cut = false;
  const take = (text: string): string[] => {
    const out: string[] = [];
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
    return out;
  };
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const lines = take(text);
    if (lines.length > 0) yield lines;
  }
  const last = take(decoder.end());
  if (current.length > 0 || cut) last.push(cut ? current + LINE_CUT_MARK : current);
  if (last.length > 0) yield last;
}
