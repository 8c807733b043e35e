import type { LogChunk } from "../../src/logs/types.ts";

/** A log stream's text: its chunks joined, bytes decoded as UTF-8 even where a character straddles two chunks. */
export async function readLog(chunks: AsyncIterable<LogChunk>): Promise<string> {
  // The raw text, byte for byte: a BOM (GitHub Actions logs start with one) is kept, as the analyser receives it.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let text = "";
  for await (const chunk of chunks) {
    // A string chunk follows whole characters: whatever bytes the decoder holds come before it.
    text += typeof chunk === "string" ? decoder.decode() + chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** A log stream's lines, as the analyser reads them: a final line break ends the last line, it opens no new one. */
export async function readLogLines(chunks: AsyncIterable<LogChunk>): Promise<string[]> {
  const text = await readLog(chunks);
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}
