import nock from "nock";
import { afterEach } from "vitest";

// No test reaches the real network; loopback stays open for the local servers tests start.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

afterEach(() => {
  nock.cleanAll();
});
