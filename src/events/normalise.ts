import { z } from "zod";
import type { FailureEvent, RepoRef, SuccessEvent } from "./failure-event.ts";

/** The parts of the payloads ci-mender relies on; anything else GitHub sends is ignored. */
const Repository = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1).max(100),
  full_name: z.string().min(3).max(200),
  private: z.boolean(),
  owner: z.object({ login: z.string().min(1).max(100), id: z.number().int().positive() }),
});
const Installation = z.object({ id: z.number().int().positive() });
const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/i);
const Text = (max: number) => z.string().max(max);

const CheckRunCompleted = z.object({
  action: z.literal("completed"),
  check_run: z.object({
    id: z.number().int().positive(),
    name: Text(1_000),
    head_sha: Sha,
    conclusion: z.string().nullable(),
    details_url: Text(10_000).nullish(),
    external_id: Text(10_000).nullish(),
    app: z.object({ id: z.number().int(), slug: Text(200).nullish() }).nullish(),
    // A hint only: a malformed list is dropped, not a reason to ignore the check.
    pull_requests: z
      .array(z.object({ number: z.number().int().positive(), head: z.object({ sha: Sha }) }))
      .max(100)
      .nullish()
      .catch(null),
  }),
  repository: Repository,
  installation: Installation,
});

const Status = z.object({
  sha: Sha,
  state: z.enum(["pending", "success", "failure", "error"]),
  context: Text(1_000),
  target_url: Text(10_000).nullish(),
  repository: Repository,
  installation: Installation,
});

const FAILING_CONCLUSIONS = new Set(["failure", "timed_out", "startup_failure"]);

export type Normalised =
  | { kind: "failure"; event: FailureEvent }
  | { kind: "success"; event: SuccessEvent }
  | { kind: "ignored"; reason: string };

function repoRef(repository: z.infer<typeof Repository>): RepoRef {
  return {
    id: repository.id,
    owner: repository.owner.login,
    name: repository.name,
    fullName: repository.full_name,
    private: repository.private,
  };
}

/**
 * Turns a `check_run` or `status` delivery into the one event shape the pipeline reads, or says why it is not
 * for us. `ownAppId` drops check runs ci-mender created itself.
 */
export function normalise(name: string, deliveryId: string, payload: unknown, ownAppId: number | null): Normalised {
  if (name === "check_run") {
    const parsed = CheckRunCompleted.safeParse(payload);
    if (!parsed.success) return { kind: "ignored", reason: "not a completed check run with an installation" };
    const { check_run: run, repository, installation } = parsed.data;
    if (ownAppId !== null && run.app?.id === ownAppId) return { kind: "ignored", reason: "our own check run" };
    const base = {
      deliveryId,
      installationId: installation.id,
      accountId: repository.owner.id,
      repo: repoRef(repository),
      sha: run.head_sha.toLowerCase(),
      context: run.name,
      appSlug: run.app?.slug ?? null,
      pullRequests: (run.pull_requests ?? [])
        .filter((pr) => pr.head.sha.toLowerCase() === run.head_sha.toLowerCase())
        .map((pr) => ({ number: pr.number, headSha: pr.head.sha.toLowerCase() })),
    };
    if (run.conclusion === "success") return { kind: "success", event: base };
    if (!run.conclusion || !FAILING_CONCLUSIONS.has(run.conclusion)) {
      return { kind: "ignored", reason: `conclusion ${run.conclusion ?? "none"}` };
    }
    return {
      kind: "failure",
      event: {
        ...base,
        source: "check_run",
        url: run.details_url ?? null,
        externalId: run.external_id ?? null,
        checkRunId: run.id,
        conclusion: run.conclusion,
      },
    };
  }
  if (name === "status") {
    const parsed = Status.safeParse(payload);
    if (!parsed.success) return { kind: "ignored", reason: "not a commit status with an installation" };
    const status = parsed.data;
    const base = {
      deliveryId,
      installationId: status.installation.id,
      accountId: status.repository.owner.id,
      repo: repoRef(status.repository),
      sha: status.sha.toLowerCase(),
      context: status.context,
      appSlug: null,
      pullRequests: [],
    };
    if (status.state === "success") return { kind: "success", event: base };
    if (status.state === "pending") return { kind: "ignored", reason: "pending status" };
    return {
      kind: "failure",
      event: {
        ...base,
        source: "status",
        url: status.target_url ?? null,
        externalId: null,
        checkRunId: null,
        conclusion: status.state,
      },
    };
  }
  return { kind: "ignored", reason: `event ${name}` };
}
