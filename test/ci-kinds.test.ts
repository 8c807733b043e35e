import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

function sources(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(SRC, dir, file));
}

function importsProviders(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/from\s+"([^"]+)"/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => path.resolve(path.dirname(file), target).startsWith(path.join(SRC, "providers") + path.sep));
}

describe("neutral provider names", () => {
  it.each(["secrets", "report"])("%s/ names providers through ci-kinds.ts and never imports providers/", (dir) => {
    const offenders = sources(dir).flatMap((file) => importsProviders(file).map((target) => `${path.relative(SRC, file)} → ${target}`));
    expect(offenders).toEqual([]);
  });
});
