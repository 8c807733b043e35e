import { z } from "zod";

/** The hidden first line that lets ci-mender find its own comment again and remember what it said. */
const PREFIX = "<!-- ci-mender:v1 ";
const SUFFIX = " -->";

const State = z.object({
  state: z.enum(["failing", "resolved"]),
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  contexts: z.array(z.string().max(200)).max(50),
});
export type CommentState = z.infer<typeof State>;

export function renderMarker(state: CommentState): string {
  // `--` cannot appear in the JSON's own syntax; escaping it in strings keeps the HTML comment closed only by us.
  return `${PREFIX}${JSON.stringify(state).replace(/--/g, "-\\u002d")}${SUFFIX}`;
}

export function hasMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.startsWith(PREFIX);
}

/** The state recorded in a comment body; null when it is not ours or cannot be read. */
export function readMarker(body: string | null | undefined): CommentState | null {
  if (!hasMarker(body)) return null;
  const line = body!.slice(PREFIX.length, body!.indexOf(SUFFIX));
  try {
    const parsed = State.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
