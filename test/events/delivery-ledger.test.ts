import { describe, expect, it } from "vitest";
import { DeliveryLedger } from "../../src/events/delivery-ledger.ts";

const T0 = Date.parse("2026-11-21T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

describe("DeliveryLedger", () => {
  it("answers true the first time a delivery id is seen and false for every repeat", () => {
    const ledger = new DeliveryLedger();
    expect(ledger.firstTime("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0)).toBe(true);
    expect(ledger.firstTime("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0 + 1)).toBe(false);
    expect(ledger.firstTime("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0 + DAY)).toBe(false);
  });

  it("keeps different delivery ids apart", () => {
    const ledger = new DeliveryLedger();
    expect(ledger.firstTime("a", T0)).toBe(true);
    expect(ledger.firstTime("b", T0)).toBe(true);
    expect(ledger.firstTime("a", T0)).toBe(false);
    expect(ledger.firstTime("b", T0)).toBe(false);
  });

  it("remembers a delivery for the 7 days GitHub Enterprise Server allows redelivery, by default", () => {
    const ledger = new DeliveryLedger();
    ledger.firstTime("d", T0);
    expect(ledger.firstTime("d", T0 + 7 * DAY - 1)).toBe(false);
    expect(ledger.firstTime("d", T0 + 7 * DAY)).toBe(true);
  });

  it("forgets a delivery once its TTL has passed, then remembers it again from that moment", () => {
    const ledger = new DeliveryLedger({ ttlMs: 1_000 });
    expect(ledger.firstTime("d", T0)).toBe(true);
    expect(ledger.firstTime("d", T0 + 999)).toBe(false);
    expect(ledger.firstTime("d", T0 + 1_000)).toBe(true);
    expect(ledger.firstTime("d", T0 + 1_999)).toBe(false);
    expect(ledger.firstTime("d", T0 + 2_000)).toBe(true);
  });

  it("does not extend a delivery's TTL when a repeat arrives", () => {
    const ledger = new DeliveryLedger({ ttlMs: 1_000 });
    ledger.firstTime("d", T0);
    ledger.firstTime("d", T0 + 900);
    expect(ledger.firstTime("d", T0 + 1_000)).toBe(true);
  });

  it("evicts the oldest deliveries first when it is full", () => {
    const ledger = new DeliveryLedger({ max: 3 });
    for (const id of ["a", "b", "c", "d"]) expect(ledger.firstTime(id, T0)).toBe(true);
    // "a" was evicted by "d"; "b", "c", "d" are still remembered.
    expect(ledger.firstTime("b", T0)).toBe(false);
    expect(ledger.firstTime("c", T0)).toBe(false);
    expect(ledger.firstTime("d", T0)).toBe(false);
    expect(ledger.firstTime("a", T0)).toBe(true);
    // Remembering "a" again evicted the oldest, "b".
    expect(ledger.firstTime("b", T0)).toBe(true);
  });

  it("treats a delivery seen again after its TTL as new for eviction order", () => {
    const ledger = new DeliveryLedger({ max: 2, ttlMs: 100 });
    ledger.firstTime("old", T0);
    ledger.firstTime("other", T0 + 50);
    expect(ledger.firstTime("old", T0 + 100)).toBe(true);
    ledger.firstTime("newest", T0 + 120);
    // "other" was the oldest entry once "old" was renewed, so it is the one evicted.
    expect(ledger.firstTime("old", T0 + 130)).toBe(false);
    expect(ledger.firstTime("other", T0 + 130)).toBe(true);
  });

  it("stays within its maximum size under a flood of distinct ids", () => {
    const ledger = new DeliveryLedger({ max: 1_000 });
    for (let i = 0; i < 50_000; i += 1) ledger.firstTime(`delivery-${i}`, T0);
    expect(ledger.firstTime("delivery-49999", T0)).toBe(false);
    expect(ledger.firstTime("delivery-49000", T0)).toBe(false);
    expect(ledger.firstTime("delivery-0", T0)).toBe(true);
    // Exactly the 1,000 newest are kept: the one that just went in pushed delivery-49000 out.
    expect(ledger.firstTime("delivery-49000", T0)).toBe(true);
  });

  it("uses the current time when none is given", () => {
    const ledger = new DeliveryLedger({ ttlMs: 60_000 });
    expect(ledger.firstTime("now")).toBe(true);
    expect(ledger.firstTime("now")).toBe(false);
  });
});
