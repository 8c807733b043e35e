import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import { nockCreateComment, nockInstallationToken, nockListComments, recordRequests, type SeenRequest } from "./helpers/github-nock.ts";
import * as actions from "./providers/github-actions/nock.ts";

// The GitHub Actions fixtures: acme/widgets at 3f78685, installation 5550001, job 38712345678, PR 42 named in the payload.
const repo = { owner: "acme", name: "widgets" };
const INSTALLATION = 5550001;
const GHES = "https://github.acme.internal";
const GHES_API = `${GHES}/api/v3`;

let app: Harness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("on GitHub Enterprise Server", () => {
  it("asks the configured host for the installation token when a GitHub Actions check run is the installation's very first event", async () => {
    // A fresh app: nothing has asked GitHub anything yet, so no token is cached and no client is warmed up.
    app = await startApp({ GHE_HOST: "github.acme.internal" });
    const seen: SeenRequest[] = [];
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN, GHES_API),
      actions.nockJob(() => {}, GHES, "/api/v3"),
      ...actions.nockJobLog(actions.LOG_STORAGE, GHES, "/api/v3"),
      nockListComments(repo, 42, [], 1, GHES_API),
      nockCreateComment(repo, 42, bodies, GHES_API),
    ].map((scope) => recordRequests(scope, seen));
    // Anything sent to github.com's API is recorded, so the test can say it was asked (and answer nothing useful).
    const dotcom = recordRequests(nock("https://api.github.com").persist().post(/.*/).reply(401, { message: "Bad credentials" }), seen);

    const response = await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    expect(response.status).toBe(200);
    await app.ci.idle();

    expect(seen.map((request) => request.origin).filter((origin) => origin !== GHES)).toEqual([actions.LOG_STORAGE]);
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("GitHub Actions");
    dotcom.persist(false);
  });
});
