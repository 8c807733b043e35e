import type { Failure } from "../logs/types.ts";
import type { Classification, JobHistory, Verdict } from "../report/types.ts";
import { failureSignature } from "./signature.ts";

/** One completed run of the same job on a base commit. Runs in progress, queued or cancelled are never here. */
export interface BaseRun {
  conclusion: "success" | "failure";
  /** Where a maintainer can open it. */
  url: string | null;
  /** The failed run's failure signatures; null when its log could not be read (then it proves nothing). */
  signatures: ReadonlySet<string> | null;
}

/** The same job's completed runs on one commit of the base branch. */
export interface BaseObservation {
  sha: string;
  branch: string;
  /** The PR's merge base, or the newest commit of the base branch that ran the job. */
  where: "merge-base" | "latest";
  runs: BaseRun[];
}

export interface Evidence {
  mergeBase: BaseObservation | null;
  latest: BaseObservation | null;
}

const VERDICT_ORDER: readonly Verdict[] = ["new", "unclassified", "broken-on-base", "flaky"];

/**
 * Classifies each failure of a job against its base, first rule that holds: an infrastructure failure is flaky;
 * the same signature failing and passing on one base commit is flaky; the same signature failing at the merge base
 * or on the branch's latest run is broken on base; a completed run at the merge base (or, without one, on the
 * branch) that passed or failed differently makes it new; otherwise it stays unclassified.
 */
export function classifyJob(failures: readonly Failure[], evidence: Evidence): JobHistory {
  const perFailure = failures.map((failure) => classifyFailure(failure, evidence));
  return { failures: perFailure, job: jobVerdict(perFailure, evidence) };
}

/** A job whose check passed when run again on the same commit: every failure it showed was flaky. */
export function passedOnRerun(failureCount: number): JobHistory {
  const flaky: Classification = { verdict: "flaky", evidence: "passed on re-run of the same commit" };
  return { failures: Array.from({ length: failureCount }, () => flaky), job: flaky };
}

/** A comparison that could not be made: nothing is claimed, and the reason is said. */
export function notCompared(failureCount: number, reason: string): JobHistory {
  const unclassified: Classification = { verdict: "unclassified", evidence: reason };
  return { failures: Array.from({ length: failureCount }, () => unclassified), job: unclassified, notCompared: true };
}

function classifyFailure(failure: Failure, evidence: Evidence): Classification {
  if (failure.kind === "infrastructure") {
    return { verdict: "flaky", evidence: "matches an infrastructure failure (the CI machine or network, not the code)" };
  }
  const signature = failureSignature(failure);
  const observations = [evidence.mergeBase, evidence.latest].filter((o): o is BaseObservation => o !== null);
  for (const observation of observations) {
    const same = observation.runs.find((run) => run.conclusion === "failure" && run.signatures?.has(signature));
    const passed = observation.runs.find((run) => run.conclusion === "success");
    if (same && passed) {
      return withLink(
        { verdict: "flaky", evidence: `failed the same way on ${at(observation)}, then passed on a re-run of that commit` },
        passed.url,
        `passing run on ${shortSha(observation.sha)}`,
      );
    }
  }
  for (const observation of observations) {
    const same = observation.runs.find((run) => run.conclusion === "failure" && run.signatures?.has(signature));
    if (same) {
      return withLink(
        { verdict: "broken-on-base", evidence: `also failing on ${code(observation.branch)} (${at(observation)}), not caused by this PR` },
        same.url,
        `failing run on ${shortSha(observation.sha)}`,
      );
    }
  }
  const decisive = observations[0];
  if (!decisive) {
    return { verdict: "unclassified", evidence: "the base branch has no completed run of this job, so it may be pre-existing or new" };
  }
  return compareWithout(decisive);
}

/** No run of the base failed the same way: what the first base with a completed run says instead. */
function compareWithout(observation: BaseObservation): Classification {
  const passed = observation.runs.find((run) => run.conclusion === "success");
  if (passed) return withLink({ verdict: "new", evidence: `passes on ${at(observation)}` }, passed.url, `passing run on ${shortSha(observation.sha)}`);
  const compared = observation.runs.find((run) => run.signatures !== null);
  if (compared) {
    return withLink(
      { verdict: "new", evidence: `the job fails on ${at(observation)} too, but not with this failure` },
      compared.url,
      `failing run on ${shortSha(observation.sha)}`,
    );
  }
  const unread = observation.runs[0];
  return withLink(
    { verdict: "unclassified", evidence: `the job fails on ${at(observation)} too, but its log could not be compared` },
    unread?.url ?? null,
    `failing run on ${shortSha(observation.sha)}`,
  );
}

/** For a job as a whole: the most actionable of its failures' verdicts; a log with none is compared by outcome. */
function jobVerdict(perFailure: readonly Classification[], evidence: Evidence): Classification {
  for (const verdict of VERDICT_ORDER) {
    const found = perFailure.find((c) => c.verdict === verdict);
    if (found) return found;
  }
  // Without a failure to compare, a failing base is no proof of the same cause: only a pass decides.
  const decisive = evidence.mergeBase ?? evidence.latest;
  if (!decisive) return { verdict: "unclassified", evidence: "the base branch has no completed run of this job" };
  const passed = decisive.runs.find((run) => run.conclusion === "success");
  if (passed) return withLink({ verdict: "new", evidence: `passes on ${at(decisive)}` }, passed.url, `passing run on ${shortSha(decisive.sha)}`);
  return { verdict: "unclassified", evidence: `the job fails on ${at(decisive)} too, but no failure could be named to compare` };
}

function at(observation: BaseObservation): string {
  const sha = code(shortSha(observation.sha));
  return observation.where === "merge-base" ? `the merge base ${sha}` : `${code(observation.branch)} at ${sha} (its latest completed run)`;
}

/** Evidence marks code with backticks (the renderer shows those parts as code); a name cannot add its own. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function withLink(classification: Classification, url: string | null, label: string): Classification {
  return url ? { ...classification, link: { label, url } } : classification;
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
