/**
 * The part of autocannon 8's programmatic API the bench uses (the package
 * ships no types). Field names and meanings follow its README.
 */
declare module "autocannon" {
  export interface AutocannonRequest {
    method?: "GET" | "POST";
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  export interface RequestTemplate extends AutocannonRequest {
    /** Called before each request is sent; returns the request to send. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    /** Called with each response; the body is the whole response text. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }

  export interface Options extends AutocannonRequest {
    url: string;
    connections?: number;
    /** Seconds; ignored when `amount` is set. */
    duration?: number;
    /** Total requests to send, spread over the connections. */
    amount?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    requests?: RequestTemplate[];
  }

  export interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram;
  }

  export interface Instance extends PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
