import { Keyv } from "keyv";
import { describe, expect, it } from "vitest";
import { failureSignature, MAX_SIGNATURES_PER_JOB, normaliseMessage, signaturesOf } from "../../src/history/signature.ts";
import { KeyvSignatureStore } from "../../src/history/signature-store.ts";
import type { Failure } from "../../src/logs/types.ts";

const base: Failure = { kind: "test", tool: "jest", title: "cart > checks out", file: "src/cart.test.ts", line: 40, message: "Timeout after 5012 ms at 2026-11-21T10:41:08.922Z", excerpt: [], count: 1 };

describe("failure signatures", () => {
  it("ignore durations, timestamps and the line of a test that moved", () => {
    expect(normaliseMessage("Timeout after 5012 ms at 2026-11-21T10:41:08.922Z")).toBe("Timeout after <duration> at <time>");
    const rerun = { ...base, line: 52, message: "Timeout after 5230 ms at 2026-11-22T09:00:00.000Z" };
    expect(failureSignature(rerun)).toBe(failureSignature(base));
  });

  it("tell apart different tests and compile errors on different lines", () => {
    expect(failureSignature({ ...base, title: "cart > refunds" })).not.toBe(failureSignature(base));
    const tsc: Failure = { ...base, kind: "compile", tool: "tsc", title: "TS2322", message: "Type 'string' is not assignable to type 'number'." };
    expect(failureSignature({ ...tsc, line: 3 })).not.toBe(failureSignature({ ...tsc, line: 4 }));
  });

  it("are bounded per job", () => {
    const failures = Array.from({ length: 80 }, (_, i) => ({ ...base, title: `t${i}` }));
    expect(signaturesOf({ failures, tail: [], lines: 1, bytes: 1 })).toHaveLength(MAX_SIGNATURES_PER_JOB);
  });
});

describe("KeyvSignatureStore", () => {
  it("keys records by repository, commit and job with its shard suffix removed", async () => {
    const store = new KeyvSignatureStore(new Keyv({ namespace: "signatures" }));
    const record = { conclusion: "failure" as const, signatures: ["a", "b"], url: "https://ci.example/1", at: "2026-12-01T00:00:00Z" };
    await store.put(1, "abc", "test (3/8)", record);
    expect(await store.get(1, "abc", "test (1/8)")).toEqual(record);
    expect(await store.get(1, "abd", "test (1/8)")).toBeNull();
    expect(await store.get(2, "abc", "test")).toBeNull();
  });

  it("reads a damaged record as absent, not as evidence", async () => {
    const keyv = new Keyv({ namespace: "signatures" });
    await keyv.set("1:abc:test", { conclusion: "maybe" });
    expect(await new KeyvSignatureStore(keyv).get(1, "abc", "test")).toBeNull();
  });
});
