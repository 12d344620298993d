// A pass-through proxy in front of the sandbox that answers chosen calls with AWS's own refusals: the
// sandbox admits every call its admin key signs, so the permission checks of a real account (and IAM's
// check that a managed policy exists) are stood in for here, in AWS's wire shapes.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Refusal {
  /** The IAM Action of a Query call, or "METHOD /path" of a Roles Anywhere REST call. */
  readonly call: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface RefusingProxy {
  readonly url: string;
  refuse(refusal: Refusal): void;
  clear(): void;
  stop(): Promise<void>;
}

export async function startRefusingProxy(target: string): Promise<RefusingProxy> {
  const refusals: Refusal[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = refusals.find((candidate) => callOf(req, body) === candidate.call);
      if (refusal) {
        const iam = !refusal.call.includes(' ');
        const text = iam
          ? `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`
          : JSON.stringify({ message: refusal.message });
        res.writeHead(refusal.status, iam ? { 'Content-Type': 'text/xml' } : { 'Content-Type': 'application/json', 'x-amzn-ErrorType': refusal.code });
        res.end(text);
        return;
      }
      const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refuse: (refusal) => refusals.push(refusal),
    clear: () => {
      refusals.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function callOf(req: IncomingMessage, body: Buffer): string {
  const action = new URLSearchParams(body.toString('utf8')).get('Action');
  return action ?? `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
}
