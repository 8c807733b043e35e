import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyzeLog } from "../../src/logs/analyze.ts";
import type { Failure, LogAnalysis } from "../../src/logs/types.ts";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/logs/", import.meta.url));

/** Analyses a fixture the way the pipeline does: raw bytes streamed from disk into the analyser. */
export async function analyzeFixture(name: string, secrets: readonly string[] = []): Promise<LogAnalysis> {
  return analyzeLog(createReadStream(FIXTURES + name), { secrets });
}

/** Everything a reader of the report would see for one failure. */
export function shown(f: Failure): string {
  return [f.title, f.message, ...f.excerpt, f.patch ?? ""].join("\n");
}
