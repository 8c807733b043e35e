import { escapeText, inlineCode, link } from "./markdown.ts";
import type { Classification, JobReport, Verdict } from "./types.ts";

/** The comment's parts by verdict: what this PR most likely caused comes first and open, the rest folded. */
export interface ByVerdict {
  /** New and unclassified failures: shown in full. */
  open: JobReport[];
  brokenOnBase: JobReport[];
  flaky: JobReport[];
}

const MAX_FOLDED_ITEMS = 40;
const MAX_EVIDENCE_CHARS = 400;
const MAX_TITLE_CHARS = 200;

/** Splits each job by its failures' verdicts (a job with new and flaky failures appears in both parts). */
export function byVerdict(jobs: readonly JobReport[]): ByVerdict {
  const out: ByVerdict = { open: [], brokenOnBase: [], flaky: [] };
  for (const job of jobs) {
    const history = job.history;
    const failures = job.analysis?.failures ?? [];
    if (!history || failures.length === 0 || history.failures.length !== failures.length) {
      part(out, history?.job.verdict ?? "new").push(job);
      continue;
    }
    for (const verdict of ["new", "broken-on-base", "flaky"] as const) {
      const picked = failures.flatMap((failure, i) => (bucket(history.failures[i]!.verdict) === verdict ? [i] : []));
      if (picked.length === 0) continue;
      const pickedHistory = picked.map((i) => history.failures[i]!);
      part(out, verdict).push({
        ...job,
        analysis: { ...job.analysis!, failures: picked.map((i) => failures[i]!) },
        history: { ...history, failures: pickedHistory, job: pickedHistory[0]! },
      });
    }
  }
  return out;
}

/** Counts per verdict, failure by failure (a job that named none counts once); null when nothing was compared. */
export function verdictSummary(jobs: readonly JobReport[]): string | null {
  const counts = countVerdicts(jobs);
  if (!counts) return null;
  const words: Array<[Verdict, string]> = [
    ["new", "new"],
    ["broken-on-base", "broken on the base branch"],
    ["flaky", "flaky"],
    ["unclassified", "unclassified"],
  ];
  const parts = words.filter(([v]) => counts[v] > 0).map(([v, word]) => `${counts[v]} ${word}`);
  return `Compared with the base branch: ${parts.join(", ")}.`;
}

/** The first line when nothing the PR shows is its own doing; null otherwise (or when nothing was compared). */
export function allPreexistingHeadline(jobs: readonly JobReport[], shortSha: string): string | null {
  const counts = countVerdicts(jobs);
  if (!counts || jobs.some((job) => !job.history || job.history.notCompared) || counts.new > 0 || counts.unclassified > 0) return null;
  const what = [counts["broken-on-base"] > 0 ? "already failing on the base branch" : null, counts.flaky > 0 ? "flaky" : null]
    .filter(Boolean)
    .join(" or ");
  return `## ✅ No new failures on ${inlineCode(shortSha)}: every failure is ${what}, not caused by this PR`;
}

/** One line under an open job's heading saying what the comparison found. */
export function evidenceNote(job: JobReport): string | null {
  const c = job.history?.job;
  if (!c) return null;
  const label = job.history?.notCompared ? "Not compared with the base branch" : c.verdict === "new" ? "New" : "Unclassified";
  return `_${label}: ${renderEvidence(c)}._`;
}

/** A folded section: each failure with its job, the evidence and the run it comes from. */
export function foldedSection(kind: "broken-on-base" | "flaky", jobs: readonly JobReport[]): string | null {
  const items: string[] = [];
  for (const job of jobs) {
    const history = job.history;
    const failures = job.analysis?.failures ?? [];
    const jobName = link(job.job.name.slice(0, MAX_TITLE_CHARS), job.job.webUrl);
    if (!history) continue;
    if (failures.length === 0) items.push(`- ${jobName}: ${renderEvidence(history.job)}`);
    failures.forEach((failure, i) => {
      const c = history.failures[i] ?? history.job;
      const title = failure.title.length > MAX_TITLE_CHARS ? `${failure.title.slice(0, MAX_TITLE_CHARS)}…` : failure.title;
      items.push(`- ${jobName}: ${inlineCode(title)} — ${renderEvidence(c)}`);
    });
  }
  if (items.length === 0) return null;
  const shown = items.slice(0, MAX_FOLDED_ITEMS);
  if (items.length > shown.length) shown.push(`- … and ${items.length - shown.length} more`);
  const summary = kind === "broken-on-base" ? `${items.length} also failing on the base branch (not caused by this PR)` : `${items.length} flaky`;
  return `<details><summary>${kind === "broken-on-base" ? "🧱" : "🔁"} ${summary}</summary>\n\n${shown.join("\n")}\n\n</details>`;
}

/** Evidence text with its `code` parts as code spans, everything else escaped, and the link last. */
function renderEvidence(c: Classification): string {
  const text = c.evidence.length > MAX_EVIDENCE_CHARS ? `${c.evidence.slice(0, MAX_EVIDENCE_CHARS)}…` : c.evidence;
  // escapeText trims, so the spaces around a code span are put back by hand.
  const pad = (piece: string) => `${/^\s/.test(piece) ? " " : ""}${escapeText(piece)}${/\S\s$/.test(piece) ? " " : ""}`;
  const sentence = text.split("`").map((piece, i) => (i % 2 === 1 ? inlineCode(piece) : pad(piece))).join("").trim();
  return c.link ? `${sentence} (${link(c.link.label, c.link.url)})` : sentence;
}

function countVerdicts(jobs: readonly JobReport[]): Record<Verdict, number> | null {
  const counts: Record<Verdict, number> = { new: 0, "broken-on-base": 0, flaky: 0, unclassified: 0 };
  let any = false;
  for (const job of jobs) {
    if (!job.history || job.history.notCompared) continue;
    any = true;
    const list = job.history.failures.length > 0 ? job.history.failures : [job.history.job];
    for (const c of list) counts[c.verdict] += 1;
  }
  return any ? counts : null;
}

function bucket(verdict: Verdict): "new" | "broken-on-base" | "flaky" {
  return verdict === "unclassified" ? "new" : verdict;
}

function part(out: ByVerdict, verdict: Verdict): JobReport[] {
  const b = bucket(verdict);
  return b === "new" ? out.open : b === "broken-on-base" ? out.brokenOnBase : out.flaky;
}
