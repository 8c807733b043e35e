import { createHash } from "node:crypto";
import type { Failure } from "../logs/types.ts";
import { escapeHtml, escapeText, fencedBlock, inlineCode, link } from "./markdown.ts";
import { renderMarker } from "./marker.ts";
import { allPreexistingHeadline, byVerdict, evidenceNote, foldedSection, verdictSummary } from "./render-history.ts";
import type { CommitReport, JobReport, Notice } from "./types.ts";

/** GitHub rejects longer comment bodies ("Body is too long (maximum is 65536 characters)"). */
export const MAX_COMMENT_CHARS = 65_536;
/** Room kept for the footer and the truncation note. */
const BUDGET = MAX_COMMENT_CHARS - 2_000;
const MAX_EXCERPT_LINES = 30;
const MAX_LINE_CHARS = 400;
const MAX_PATCH_LINES = 80;
const MAX_TABLE_ROWS = 60;
/** The table comes before the details: it must leave them room even when job names and URLs are huge. */
const MAX_TABLE_CHARS = 16_000;
const MAX_NOTICES = 20;
const MAX_TITLE_CHARS = 300;
const MAX_NAME_CHARS = 200;
const MAX_NOTICE_CHARS = 500;

export interface RenderOptions {
  /** GitHub web origin, for links to files at the commit; null when the log has no repository (CLI). */
  githubWebUrl: URL | null;
  /** Public URL of this app, for the /setup link. */
  baseUrl: URL;
}

const KIND_LABEL: Record<Failure["kind"], string> = {
  test: "failing test",
  compile: "compile error",
  lint: "lint error",
  format: "formatting",
  crash: "crash",
  timeout: "timeout",
  infrastructure: "infrastructure",
  error: "error",
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** A link to the file at the commit, only for plain repository-relative paths. */
function fileLink(report: CommitReport, failure: Failure, options: RenderOptions): string | null {
  if (!failure.file) return null;
  const where = failure.line ? `${failure.file}:${failure.line}${failure.column ? `:${failure.column}` : ""}` : failure.file;
  const file = failure.file.replace(/^\.\//, "");
  const plain = /^[A-Za-z0-9._/@+-]+$/.test(file) && !file.startsWith("/") && !file.split("/").includes("..");
  if (!plain || !options.githubWebUrl) return inlineCode(where);
  const path = file.split("/").map(encodeURIComponent).join("/");
  const url = new URL(
    `/${encodeURIComponent(report.repo.owner)}/${encodeURIComponent(report.repo.name)}/blob/${report.sha}/${path}`,
    options.githubWebUrl,
  );
  if (failure.line) url.hash = `L${failure.line}`;
  return `[${inlineCode(where)}](${url.toString()})`;
}

function clip(lines: readonly string[], max: number): string[] {
  const out = lines.slice(0, max).map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line));
  if (lines.length > max) out.push(`… ${lines.length - max} more lines`);
  return out;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function title(failure: Failure): string {
  return shorten(failure.title, MAX_TITLE_CHARS);
}

function jobLink(job: JobReport): string {
  return link(job.job.name.slice(0, MAX_NAME_CHARS), job.job.webUrl);
}

function failureSignature(f: Failure): string {
  // A digest, not the text: V8 hashes strings over 16 KiB by their length alone, so long signatures of one length
  // collide as Map keys and every lookup compares them in full (seconds for a few thousand long failures).
  const hash = createHash("sha256");
  for (const part of [f.kind, f.tool, f.title, f.file ?? "", String(f.line ?? 0), f.message]) hash.update(`${part.length}:`).update(part);
  return hash.digest("base64");
}

function renderFailure(report: CommitReport, failure: Failure, options: RenderOptions): string {
  const parts: string[] = [];
  const where = fileLink(report, failure, options);
  const times = failure.count > 1 ? ` (×${failure.count})` : "";
  const label = `${KIND_LABEL[failure.kind]}${failure.tool && failure.tool !== "generic" ? `, ${escapeText(failure.tool)}` : ""}`;
  parts.push(`**${inlineCode(title(failure))}**${times} — ${label}${where ? ` in ${where}` : ""}`);
  const message = failure.message.trim();
  if (message && message !== failure.title) parts.push(fencedBlock(clip(message.split("\n"), 8)));
  if (failure.excerpt.length > 0) {
    parts.push(`<details><summary>Log excerpt</summary>\n\n${fencedBlock(clip(failure.excerpt, MAX_EXCERPT_LINES))}\n\n</details>`);
  }
  if (failure.patch) {
    parts.push(
      `<details><summary>Suggested change printed by ${escapeHtml(failure.tool)}</summary>\n\n${fencedBlock(clip(failure.patch.split("\n"), MAX_PATCH_LINES), "diff")}\n\n</details>`,
    );
  }
  return parts.join("\n\n");
}

function jobHeading(job: JobReport): string {
  return `### ❌ ${jobLink(job)} · ${escapeText(job.providerName)}`;
}

function jobSummaryCell(job: JobReport): string {
  if (job.problem) return "log not readable";
  const analysis = job.analysis;
  if (!analysis || analysis.failures.length === 0) return "see the log excerpt";
  const byKind = new Map<string, number>();
  for (const f of analysis.failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + f.count);
  return [...byKind].map(([kind, n]) => plural(n, KIND_LABEL[kind as Failure["kind"]])).join(", ");
}

function renderNotice(notice: Notice, options: RenderOptions): string {
  // BASE_URL may carry a path (the app behind a proxy under a prefix): /setup lives under it.
  const setup = new URL(`${options.baseUrl.pathname.replace(/\/+$/, "")}/setup`, options.baseUrl).toString();
  const intro = `> [!WARNING]\n> ${inlineCode(shorten(notice.context, MAX_NAME_CHARS))}: `;
  const message = escapeText(shorten(notice.message, MAX_NOTICE_CHARS));
  switch (notice.kind) {
    case "missing-token":
      return `${intro}ci-mender cannot read ${escapeText(notice.providerName)} logs yet: no ${escapeText(notice.providerName)} token is connected for this account. An organization owner can connect one at ${link(setup, setup)} (it is verified, then stored encrypted).`;
    case "token-unreadable":
      return `${intro}ci-mender cannot read ${escapeText(notice.providerName)} logs: the stored ${escapeText(notice.providerName)} token could not be read (it was sealed with another encryption key, or moved from another account's record). An organization owner can connect it again at ${link(setup, setup)}.`;
    case "token-rejected":
      return `${intro}${escapeText(notice.providerName)} rejected the stored token (${message}). An organization owner can connect a new one at ${link(setup, setup)}.`;
    default:
      return `${intro}${message}`;
  }
}

function jobTable(jobs: readonly JobReport[]): string {
  const lines = ["| Job | CI | What failed |", "| --- | --- | --- |"];
  let length = 0;
  for (const job of jobs.slice(0, MAX_TABLE_ROWS)) {
    const row = `| ${jobLink(job)} | ${escapeText(job.providerName)} | ${jobSummaryCell(job)} |`;
    if (length + row.length > MAX_TABLE_CHARS) break;
    lines.push(row);
    length += row.length + 1;
  }
  const shown = lines.length - 2;
  if (jobs.length === shown) return lines.join("\n");
  // Every failed job is still named, more tersely, so a large build's summary leaves none out.
  const rest = jobs.slice(shown);
  const names: string[] = [];
  let restLength = 0;
  for (const job of rest) {
    const entry = `${jobLink(job)} (${escapeText(job.providerName)})`;
    if (restLength + entry.length > MAX_TABLE_CHARS) break;
    names.push(entry);
    restLength += entry.length + 3;
  }
  const unnamed = rest.length - names.length;
  lines.push(`| … ${rest.length} more | | |`);
  return `${lines.join("\n")}\n\nAlso failed: ${names.join(" · ")}${unnamed > 0 ? ` · and ${unnamed} more (see the PR's checks)` : ""}.`;
}

/** The one comment ci-mender keeps on a PR while its head commit has failing checks. */
export function renderFailureComment(report: CommitReport, options: RenderOptions): string {
  const head = [
    renderMarker({ state: "failing", sha: report.sha, contexts: report.failingContexts }),
    allPreexistingHeadline(report.jobs, shortSha(report.sha)) ??
      `## ❌ ${report.jobs.length > 0 ? plural(report.jobs.length, "failed job") : "Failing checks"} on ${inlineCode(shortSha(report.sha))}`,
  ];
  const tests = report.jobs.reduce(
    (acc, job) => {
      const t = job.analysis?.tests;
      return t ? { failed: acc.failed + t.failed, passed: acc.passed + (t.passed ?? 0), any: true } : acc;
    },
    { failed: 0, passed: 0, any: false },
  );
  // Everything after the heading is measured against the budget, in order of importance: summary first.
  const sections: string[] = [];
  if (tests.any) sections.push(`**${plural(tests.failed, "test")} failed**${tests.passed ? `, ${tests.passed} passed` : ""}.`);
  const verdicts = verdictSummary(report.jobs);
  if (verdicts) sections.push(verdicts);
  if (report.jobs.length > 0) sections.push(jobTable(report.jobs));
  sections.push(...report.notices.slice(0, MAX_NOTICES).map((notice) => renderNotice(notice, options)));
  if (report.notices.length > MAX_NOTICES) sections.push(`_${plural(report.notices.length - MAX_NOTICES, "more check")} could not be read._`);
  sections.push(...(report.sections ?? []));

  // New and unclassified failures in full; those the base branch explains folded after them.
  const parts = byVerdict(report.jobs);
  const seen = new Map<string, string>();
  for (const job of parts.open) sections.push(...renderJob(report, job, seen, options));
  for (const [kind, jobs] of [["broken-on-base", parts.brokenOnBase], ["flaky", parts.flaky]] as const) {
    const folded = foldedSection(kind, jobs);
    if (folded) sections.push(folded);
  }

  const footer = `<sub>ci-mender · ${inlineCode(shortSha(report.sha))} · this comment is updated in place as checks change</sub>`;
  const out = [...head];
  let length = out.join("\n\n").length + footer.length;
  let omitted = 0;
  for (const section of sections) {
    if (omitted === 0 && length + section.length + 2 <= BUDGET) {
      out.push(section);
      length += section.length + 2;
    } else {
      omitted += 1;
    }
  }
  if (omitted > 0) {
    out.push(`_${plural(omitted, "more section")} not shown: the comment reached GitHub's size limit. The job logs have the rest._`);
  }
  out.push(footer);
  return out.join("\n\n");
}

function renderJob(report: CommitReport, job: JobReport, seen: Map<string, string>, options: RenderOptions): string[] {
  const heading = jobHeading(job);
  if (job.problem) return [`${heading}\n\nThe log could not be read: ${escapeText(job.problem)}`];
  const analysis = job.analysis;
  const notes: string[] = [];
  const evidence = evidenceNote(job);
  if (evidence) notes.push(evidence);
  if (job.truncatedAtBytes) {
    notes.push(`_The log is very large; only its first ${Math.round(job.truncatedAtBytes / 1024 / 1024)} MB were read._`);
  }
  if (!analysis || analysis.failures.length === 0) {
    const tail = analysis?.tail ?? [];
    const body = tail.length > 0 ? `No known failure pattern matched; the end of the log:\n\n${fencedBlock(clip(tail, MAX_EXCERPT_LINES))}` : "The log is empty.";
    return [[heading, ...notes, body].join("\n\n")];
  }
  const out: string[] = [];
  const first = [heading, ...notes];
  for (const failure of analysis.failures) {
    const signature = failureSignature(failure);
    const earlier = seen.get(signature);
    const text = earlier
      ? `**${inlineCode(title(failure))}** — the same failure as in ${earlier}.`
      : renderFailure(report, failure, options);
    if (!earlier) seen.set(signature, jobLink(job));
    if (first.length > 0) {
      out.push([...first.splice(0), text].join("\n\n"));
    } else {
      out.push(text);
    }
  }
  if (analysis.omittedFailures) out.push(`_${plural(analysis.omittedFailures, "more failure")} in this job, not shown._`);
  return out;
}

/** What the comment becomes when every check it reported passes on the PR's head. */
export function renderResolvedComment(
  previousSha: string,
  greenSha: string,
  contexts: readonly string[],
  /** Jobs that failed on this same commit and passed when run again: named, so the flake is not forgotten. */
  passedOnRerun: readonly string[] = [],
): string {
  const names = contexts.map((c) => inlineCode(c)).join(", ");
  const flaky = passedOnRerun.slice(0, MAX_TABLE_ROWS).map((name) => inlineCode(shorten(name, MAX_NAME_CHARS)));
  return [
    renderMarker({ state: "resolved", sha: greenSha, contexts: [...contexts] }),
    `## ✅ Resolved`,
    `The checks that failed on ${inlineCode(shortSha(previousSha))} pass on ${inlineCode(shortSha(greenSha))}${names ? `: ${names}` : ""}.`,
    ...(flaky.length > 0 ? [`🔁 Flaky (passed on re-run of the same commit): ${flaky.join(", ")}.`] : []),
    `<sub>ci-mender · this comment is updated in place as checks change</sub>`,
  ].join("\n\n");
}
