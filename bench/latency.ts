import { replayCircleciFailure } from "../demo/replay.ts";

export interface BenchRow {
  name: string;
  value: string;
  note?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Webhook-to-comment latency of the recorded CircleCI failure against the loopback stand-ins. */
export async function latencyBench(runs = 15): Promise<BenchRow[]> {
  await replayCircleciFailure(); // warm-up: module loading and JIT are not what this measures
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await replayCircleciFailure()).latencyMs);
  samples.sort((a, b) => a - b);
  const note = `${runs} runs; settle delay 0; GitHub and CircleCI stand-ins on loopback`;
  return [
    { name: "webhook → comment, median", value: `${percentile(samples, 50).toFixed(1)} ms`, note },
    { name: "webhook → comment, p95", value: `${percentile(samples, 95).toFixed(1)} ms`, note },
  ];
}
