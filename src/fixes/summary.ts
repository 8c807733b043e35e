import { escapeText, fencedBlock, inlineCode, link } from "../report/markdown.ts";

/** What ci-mender did about fixes for one head commit: kept with the commit's state, shown in the comment. */
export interface FixSummary {
  headSha: string;
  mode: "off" | "suggest" | "commit-on-request" | "pull-request";
  suggested: Array<{ path: string; startLine: number; line: number; tool: string }>;
  /** Hunks outside the PR's diff, as `git apply` text. */
  outside: Array<{ path: string; tool: string; patch: string }>;
  refused: Array<{ what: string; reason: string }>;
  problem?: string;
  /** The last `/ci-mender fix` outcome on this head. */
  request?: { by: string; outcome: "committed" | "pull-request" | "refused"; message: string; url?: string };
  /** Signatures of the fixes already committed from this head (one commit per failure signature per head). */
  committed: string[];
}

const MAX_PATCH_LINES = 120;

/** The "Fixes" section of the ci-mender comment. Paths and reasons are escaped; patches sit in fences. */
export function renderFixSummary(summary: FixSummary): string | null {
  const out: string[] = [];
  if (summary.suggested.length > 0) {
    const files = [...new Set(summary.suggested.map((s) => s.path))].map((p) => inlineCode(p)).join(", ");
    out.push(`- **Suggested changes** in this PR's review: ${summary.suggested.length} in ${files}. Apply them from the review with one click.`);
  }
  if (summary.outside.length > 0) {
    out.push(`- **Outside this PR's diff** (a suggestion can only sit on changed lines), so here as a patch: save the block as ${inlineCode("ci-mender.patch")} and run ${inlineCode("git apply ci-mender.patch")}.`);
    const lines = summary.outside.flatMap((o) => o.patch.replace(/\n$/, "").split("\n"));
    const shown = lines.slice(0, MAX_PATCH_LINES);
    out.push(`<details><summary>Patch for ${summary.outside.map((o) => escapeText(o.path)).join(", ")}</summary>\n\n${fencedBlock(shown, "diff")}\n\n</details>`);
    if (lines.length > MAX_PATCH_LINES) out.push(`  _The patch has ${lines.length - MAX_PATCH_LINES} more lines: the job log has it whole._`);
  }
  for (const r of summary.refused.slice(0, 10)) out.push(`- **Not offered**: ${escapeText(r.what)} — ${escapeText(r.reason)}.`);
  if (summary.problem) out.push(`- ${escapeText(summary.problem)}.`);
  if (summary.request) {
    const r = summary.request;
    const where = r.url ? ` ${link("(view)", r.url)}` : "";
    const label = r.outcome === "refused" ? "**Fix not committed**" : "**Fix committed**";
    out.push(`- ${label} for ${inlineCode(`@${r.by}`)}: ${escapeText(r.message)}${where}`);
  }
  const offered = summary.suggested.length + summary.outside.length > 0;
  if (offered && !summary.request && (summary.mode === "commit-on-request" || summary.mode === "pull-request")) {
    out.push(`- A person with write access can comment ${inlineCode("/ci-mender fix")} to have ci-mender ${summary.mode === "pull-request" ? "open a pull request with" : "commit"} these changes (${inlineCode("/ci-mender help")} explains).`);
  }
  if (out.length === 0) return null;
  return `### 🔧 Fixes\n\n${out.join("\n")}`;
}
