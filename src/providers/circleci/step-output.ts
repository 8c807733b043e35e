import { Readable } from "node:stream";
import parser from "stream-json/parser.js";
import { CiMenderError, ProviderResponseInvalid } from "../../errors.ts";

/**
 * A step's output document is a JSON array of `{"message": "...", "time": "...", "type": "out"|"err"}`; the
 * messages concatenated are the terminal output. A stream-json token stream yields each message in pieces, so a
 * 500 MB step never becomes one string.
 */
export async function* stepOutputText(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const source = Readable.from(body);
  const tokens = parser.asStream({ packStrings: false, packKeys: true, streamKeys: false });
  // pipe() does not pass a source error on; the download's own errors (byte cap, network) must reach the reader.
  source.once("error", (error) => tokens.destroy(error));
  source.pipe(tokens);
  let depth = 0;
  let key: string | null = null;
  let inMessage = false;
  try {
    for await (const token of tokens as AsyncIterable<parser.Token>) {
      switch (token.name) {
        case "startArray":
        case "startObject":
          depth += 1;
          key = null;
          break;
        case "endArray":
        case "endObject":
          depth -= 1;
          break;
        case "keyValue":
          key = token.value;
          break;
        case "startString":
          inMessage = depth === 2 && key === "message";
          break;
        case "stringChunk":
          if (inMessage) yield token.value;
          break;
        case "endString":
          if (inMessage) key = null;
          inMessage = false;
          break;
        default:
          key = null;
      }
    }
  } catch (error) {
    if (!(error instanceof CiMenderError) && error instanceof Error) {
      throw new ProviderResponseInvalid("CircleCI step output is not the JSON array CircleCI documents", { cause: error });
    }
    throw error;
  } finally {
    source.destroy();
  }
}
