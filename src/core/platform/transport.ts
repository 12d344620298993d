// The HTTP transport is injected: the app hands in Electron's net.fetch (system proxy, OS trust
// store), the CLI node's fetch. Core code sees only this shape.

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  /** Sent exactly as given; the caller decides what is signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * The whole exchange (connecting, the headers and every byte of the body) ends within this, or fails
   * with TIMEOUT: an idle timeout alone lets a server that drips one byte at a time hold a caller forever.
   */
  readonly timeoutMs: number;
  /** A longer answer fails with RESPONSE_TOO_LARGE as soon as it is known, and no more of it is read. */
  readonly maxResponseBytes: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lowercase header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Far above any real CreateSession answer (a few KiB), far below what could hurt the agent's memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
