import { expect, it } from "vitest";
import { DEMO_CIRCLECI_TOKEN, replayCircleciFailure } from "../demo/replay.ts";

it("replays the recorded CircleCI failure through real loopback servers and posts one comment", async () => {
  const result = await replayCircleciFailure();
  expect(result.comment).toContain("expected 11 to be 10");
  expect(result.github.filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toHaveLength(1);
  // The token reached the CircleCI API and nothing else: not the storage URL, not GitHub.
  expect(result.circleci.filter((r) => r.circleToken === DEMO_CIRCLECI_TOKEN).map((r) => r.path)).toEqual([
    "/api/v1.1/project/github/acme/widgets/1042",
  ]);
  expect(result.circleci.filter((r) => r.path.startsWith("/output/")).every((r) => !r.circleToken && !r.authorization)).toBe(true);
  expect(result.github.every((r) => !r.circleToken && !(r.authorization ?? "").includes(DEMO_CIRCLECI_TOKEN))).toBe(true);
});
