import nock from "nock";
import { afterEach, beforeEach } from "vitest";

// No test reaches the internet: HTTP APIs are nock'd, real servers listen on loopback only.
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
});

afterEach(() => {
  nock.cleanAll();
});
