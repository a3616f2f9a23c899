import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringInJson } from "./json-body";
import type { measure as Measure } from "./load";

/**
 * The bench's timing of a run of N requests, against a local server that
 * answers at once: autocannon itself would report whole seconds.
 */
describe("measure, for a run of a fixed number of requests", () => {
  let server: Server;
  let measure: typeof Measure;
  const served: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      served.push(request.url ?? "");
      response.end(JSON.stringify({ path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    // BENCH_ORIGIN is read when the module loads, so the port is set first.
    process.env.BENCH_PORT = String((server.address() as AddressInfo).port);
    ({ measure } = await import("./load"));
  });

  afterAll(async () => {
    delete process.env.BENCH_PORT;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("takes the time to the last response, not to autocannon's next whole second", async () => {
    const startedAt = performance.now();
    const measurement = await measure(
      { name: "fixed", connections: 4, warmup: null, run: { requests: 200 }, request: { method: "GET", path: "/" } },
      process.pid,
    );
    const elapsedSeconds = (performance.now() - startedAt) / 1000;

    expect(measurement.requests).toBe(200);
    expect(measurement.valid).toBe(true);
    // autocannon ends the run at a tick of its once-a-second clock; the last answer came well before it.
    expect(elapsedSeconds).toBeGreaterThanOrEqual(0.99);
    expect(measurement.durationSeconds).toBeLessThan(elapsedSeconds - 0.2);
    expect(measurement.requestsPerSecond).toBeCloseTo(200 / measurement.durationSeconds, 6);
  });

  it("counts the requests of whole sequences, each request seeing what the one before it answered", async () => {
    served.length = 0;
    const measurement = await measure(
      {
        name: "sequence",
        connections: 4,
        warmup: null,
        run: { requests: 100 },
        request: [
          {
            method: "GET",
            path: "/first",
            onResponse(_status, body, context) {
              context.answered = stringInJson(body, "path");
            },
          },
          {
            method: "GET",
            path: "/",
            setupRequest: (request, context) => ({ ...request, path: `/second?after=${String(context.answered)}` }),
          },
        ],
      },
      process.pid,
    );

    expect(measurement.requests).toBe(200);
    expect(measurement.requestsPerSecond).toBeCloseTo(200 / measurement.durationSeconds, 6);
    expect(served).toHaveLength(200);
    expect(served.filter((path) => path !== "/first").every((path) => path === "/second?after=/first")).toBe(true);
  });
});
