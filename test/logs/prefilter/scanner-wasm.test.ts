import { describe, expect, it } from "vitest";
import { assembleScanner } from "../../../scripts/build-wasm.ts";
import { SCANNER_WASM } from "../../../src/logs/prefilter/scanner-wasm.ts";

describe("scanner-wasm.ts", () => {
  it("holds exactly what scanner.wat assembles to (run `npm run wasm` after editing the .wat)", async () => {
    expect(Buffer.from(SCANNER_WASM, "base64").equals(Buffer.from(await assembleScanner()))).toBe(true);
  });
});
