/** Lines longer than this are cut: a 50 MB line with no newline must not become a 50 MB string. */
export const MAX_LINE_CHARS = 16 * 1024;
export const LINE_CUT_MARK = " …[line cut]";
/**
 * Bytes of one line kept while it is still arriving: enough for MAX_LINE_CHARS characters of any width (a UTF-8
 * character is at most 4 bytes and at least one UTF-16 unit).
 */
export const MAX_LINE_BYTES = 4 * MAX_LINE_CHARS;

/** The line as the analyser reads it: at most MAX_LINE_CHARS characters, and a mark when more was dropped. */
export function cutLine(line: string, dropped = false): string {
  return dropped || line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) + LINE_CUT_MARK : line;
}

/** Line `buf[from, nl)` as the analyser reads it: decoded (no more than MAX_LINE_BYTES of it) and cut. */
export function lineAt(buf: Buffer, from: number, nl: number): string {
  const long = nl - from > MAX_LINE_BYTES;
  return cutLine(buf.toString("utf8", from, long ? from + MAX_LINE_BYTES : nl), long);
}
