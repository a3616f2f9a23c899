import { executeHttp, executeSessionGet, type HttpOptions } from "../auth/core/api-execute";
import { env } from "../env";
import { appDeps } from "./deps";

/**
 * The command API's route handlers (app/api/v1/…): this application's
 * dependencies and configuration handed to the core's HTTP adapter.
 *
 * These thin wrappers return the inner promise rather than being async
 * themselves: under Next.js every promise also pays for its async-context
 * tracking, and these run on every API request.
 */
export function handleExecuteRequest(request: Request): Promise<Response> {
  return executeHttp(appDeps(), request, httpOptions());
}

export function handleSessionRequest(request: Request): Promise<Response> {
  return executeSessionGet(appDeps(), request, httpOptions());
}

/** What the native DBSC routes need (app/api/dbsc/…): the same dependencies and options. */
export function dbscHttp() {
  return { deps: appDeps(), options: httpOptions() };
}

function httpOptions(): HttpOptions {
  const config = env();
  return {
    secureCookies: config.secureCookies,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    countryHeader: config.COUNTRY_HEADER,
    latitudeHeader: config.LATITUDE_HEADER,
    longitudeHeader: config.LONGITUDE_HEADER,
  };
}
