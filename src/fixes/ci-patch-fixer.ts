import { createHash } from "node:crypto";
import type { Candidate, Fixer, FixerInput } from "./types.ts";

/**
 * Patches the CI printed itself (formatter diffs the analyser kept). Deterministic: the same log gives the same
 * candidates, and nothing is asked of anyone but GitHub, when they are validated.
 */
export function ciPatchFixer(): Fixer {
  return {
    name: "ci",
    async propose(input: FixerInput): Promise<Candidate[]> {
      const seen = new Set<string>();
      const out: Candidate[] = [];
      for (const { failure, jobName } of input.failures) {
        if (!failure.patch) continue;
        const signature = failureSignature(failure.tool, failure.file ?? "", failure.patch);
        // Matrix jobs print the same formatter diff once each: one candidate per distinct patch.
        if (seen.has(signature)) continue;
        seen.add(signature);
        out.push({ source: "ci", tool: failure.tool, jobName, signature, patch: failure.patch });
      }
      return out;
    },
  };
}

export function failureSignature(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest("hex").slice(0, 32);
}
