import { describe, expect, it } from "vitest";
import { inProcessLedger } from "../../src/state/delivery-ledger.ts";

describe("inProcessLedger", () => {
  it("claims a delivery once, and once more after a release", async () => {
    const ledger = inProcessLedger();
    expect(await ledger.claim("d-1")).toBe(true);
    expect(await ledger.claim("d-1")).toBe(false);
    await ledger.release("d-1");
    expect(await ledger.claim("d-1")).toBe(true);
    expect(await ledger.claim("d-1")).toBe(false);
  });
});
