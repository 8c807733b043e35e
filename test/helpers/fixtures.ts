import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../fixtures");

/** A JSON fixture from fixtures/, parsed fresh each time so tests can change their copy. */
export function fixtureJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, relative), "utf8")) as T;
}

export function fixtureText(relative: string): string {
  return readFileSync(path.join(ROOT, relative), "utf8");
}
