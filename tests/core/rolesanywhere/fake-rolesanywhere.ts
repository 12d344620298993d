// A scripted stand-in for the Roles Anywhere endpoint on 127.0.0.1: it records every request as it
// arrived and answers with the next scripted reply (AWS's real response shapes), so the client is
// tested over real HTTP.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly remotePort: number;
}

export type Reply =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body: string }
  /** Close the connection without answering. */
  | 'drop'
  /** Never answer. */
  | 'hang'
  /** Send 201 and its headers, then one byte of body every 500 ms, never ending. */
  | 'drip';

export interface FakeRolesAnywhere {
  readonly endpoint: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export const SUCCESS_BODY = JSON.stringify({
  credentialSet: [
    {
      assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/Dev/1f71c5114a119fc0', assumedRoleId: 'AROAEXAMPLE:1f71c5114a119fc0' },
      credentials: {
        accessKeyId: 'ASIAEXAMPLEKEYID0001',
        secretAccessKey: 'secret/Access+Key0123456789abcdefEXAMPLE',
        sessionToken: 'SESSION-TOKEN-EXAMPLE-0123456789',
        expiration: '2026-11-21T23:50:00Z',
      },
      packedPolicySize: 0,
      roleArn: 'arn:aws:iam::123456789012:role/Dev',
      sourceIdentity: 'CN=roles-anywhere-test-vector',
    },
  ],
  subjectArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:subject/41d2a1a4-7c3e-4b52-9f0a-0a1b2c3d4e5f',
});

export const SUCCESS: Reply = { status: 201, headers: { 'content-type': 'application/json' }, body: SUCCESS_BODY };

/** An error as AWS sends it: code in x-amzn-ErrorType, message in the JSON body. */
export function awsError(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': `${code}:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/` },
    body: JSON.stringify({ message }),
  };
}

/** Replies in order; the last one repeats. */
export async function startFakeRolesAnywhere(replies: readonly Reply[]): Promise<FakeRolesAnywhere> {
  const requests: RecordedRequest[] = [];
  const drips = new Set<ReturnType<typeof setInterval>>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort ?? 0,
      });
      const reply = replies[Math.min(requests.length, replies.length) - 1] ?? SUCCESS;
      if (reply === 'hang') return;
      if (reply === 'drip') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.flushHeaders();
        const drip = setInterval(() => res.write('{'), 500);
        drips.add(drip);
        res.on('close', () => clearInterval(drip));
        return;
      }
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const drip of drips) clearInterval(drip);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
