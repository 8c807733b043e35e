import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * ci-mender's Prometheus metrics, one registry per process (served at /metrics). Each is documented in the
 * README; labels are bounded sets (event names, outcomes, provider ids, HTTP status codes), never ids or URLs.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "ci_mender_process_" });

export const webhooks = new Counter({
  name: "ci_mender_webhooks_total",
  help: "Webhook deliveries by event and outcome (queued, ignored, duplicate, unavailable, too_large).",
  labelNames: ["event", "outcome"] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: "ci_mender_queue_jobs",
  help: "Jobs in the work queue by state (waiting, delayed, active, failed), read at scrape time.",
  labelNames: ["state"] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: "ci_mender_job_duration_seconds",
  help: "Time one commit's job took, by outcome (done, retry, failed).",
  labelNames: ["outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

export const jobsRetried = new Counter({
  name: "ci_mender_jobs_retried_total",
  help: "Jobs put back for a retry after a retryable failure (provider down, rate limit, store unavailable).",
  registers: [registry],
});

export const jobsFailed = new Counter({
  name: "ci_mender_jobs_failed_total",
  help: "Jobs that gave up (not retryable, or out of attempts); with Redis they stay inspectable as failed jobs.",
  registers: [registry],
});

export const providerCalls = new Counter({
  name: "ci_mender_provider_requests_total",
  help: "Requests to CI provider APIs and log storage by provider and HTTP status (0: no answer).",
  labelNames: ["provider", "status"] as const,
  registers: [registry],
});

export const logBytes = new Counter({
  name: "ci_mender_log_bytes_total",
  help: "Bytes of job logs read, by provider.",
  labelNames: ["provider"] as const,
  registers: [registry],
});

export const analysisSeconds = new Histogram({
  name: "ci_mender_log_analysis_seconds",
  help: "Time to read and analyse one job log (download included), by provider.",
  labelNames: ["provider"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const commentWrites = new Counter({
  name: "ci_mender_comment_writes_total",
  help: "PR comment writes by outcome (created, updated, unchanged, resolved).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const githubRateLimitRemaining = new Gauge({
  name: "ci_mender_github_rate_limit_remaining",
  help: "x-ratelimit-remaining of the last GitHub API answer, by installation-independent resource (core, graphql, ...).",
  labelNames: ["resource"] as const,
  registers: [registry],
});
