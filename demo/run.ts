import { replayCircleciFailure } from "./replay.ts";

// `npm run demo`: the product working end to end with no GitHub App and no CircleCI account.
const result = await replayCircleciFailure();
const line = "─".repeat(78);
console.log(`A CircleCI job of acme/widgets failed on PR #17. ci-mender read its log and posted this comment:\n${line}`);
console.log(result.comment);
console.log(line);
console.log(
  `${result.github.length} requests to the GitHub stand-in, ${result.circleci.length} to the CircleCI stand-in; ` +
    `webhook to comment in ${result.latencyMs.toFixed(0)} ms. The CircleCI token went to the CircleCI API only: ` +
    `${result.circleci.filter((r) => r.circleToken).map((r) => r.path).join(", ")}.`,
);
