import { z } from "zod";

/** The hidden first line that lets ci-mender find its own comment again and remember what it said. */
const PREFIX = "<!-- ci-mender:v1 ";
const SUFFIX = " -->";

const MAX_CONTEXTS = 50;
const MAX_CONTEXT_CHARS = 200;

const State = z.object({
  state: z.enum(["failing", "resolved"]),
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  contexts: z.array(z.string().max(MAX_CONTEXT_CHARS)).max(MAX_CONTEXTS),
});
export type CommentState = z.infer<typeof State>;

export function renderMarker(state: CommentState): string {
  // A marker readMarker refused would leave the comment failing for good. Remembering fewer names is safe: the
  // comment turns resolved only when no check on the commit is failing, named here or not.
  const contexts = state.contexts.filter((c) => c.length <= MAX_CONTEXT_CHARS).slice(0, MAX_CONTEXTS);
  // `--` cannot appear in the JSON's own syntax; escaping it in strings keeps the HTML comment closed only by us.
  return `${PREFIX}${JSON.stringify({ ...state, contexts }).replace(/--/g, "-\\u002d")}${SUFFIX}`;
}

export function hasMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.startsWith(PREFIX);
}

/** The state recorded in a comment body; null when it is not ours or cannot be read. */
export function readMarker(body: string | null | undefined): CommentState | null {
  if (!hasMarker(body)) return null;
  const end = body!.indexOf(SUFFIX);
  if (end < 0) return null;
  const line = body!.slice(PREFIX.length, end);
  try {
    const parsed = State.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
