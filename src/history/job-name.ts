/**
 * A job's name with its shard or matrix suffix removed, so `test (3/8)` on the PR and `test (1/8)` on the base
 * branch are the same job: `(3/8)`, `3/8`, `[linux, 20]`, `(ubuntu-latest, 20)` at the end of a name.
 */
export function normaliseJobName(name: string): string {
  let out = name.trim().replace(/\s+/g, " ");
  for (;;) {
    const next = out
      .replace(/\s*\(\s*\d+\s*\/\s*\d+\s*\)$/, "")
      .replace(/\s*\[[^\]]*\]$/, "")
      .replace(/\s*\([^()]*,[^()]*\)$/, "")
      .replace(/\s+\d+\s*\/\s*\d+$/, "")
      .trim();
    if (next === out || next === "") return out;
    out = next;
  }
}
