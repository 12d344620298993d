// One call for `rolecall sandbox` and the demo: the demo PKI (kept from an earlier run when still
// good) and a sandbox that trusts it, with the ARNs a profile needs.
import { createDemoPki, openDemoPki, DEMO_PROFILE_ID, DEMO_ROLE_ARN, DEMO_TRUST_ANCHOR_ID, type DemoPki } from './demo-pki';
import { startSandbox, type Sandbox } from './server';

export interface DemoSandboxOptions {
  /** Where the PKI files live (created 0700 when missing). */
  readonly dir: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Make a fresh PKI even when `dir` holds a usable one. */
  readonly freshPki?: boolean;
}

export interface DemoSandbox {
  readonly sandbox: Sandbox;
  readonly pki: DemoPki;
  readonly region: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  stop(): Promise<void>;
}

export async function startDemoSandbox(options: DemoSandboxOptions): Promise<DemoSandbox> {
  const existing = options.freshPki ? undefined : await openDemoPki(options.dir);
  const pki = existing ?? (await createDemoPki(options.dir));
  const sandbox = await startSandbox({
    ...pki.sandboxOptions,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  const anchor = sandbox.config.trustAnchors.find((a) => a.id === DEMO_TRUST_ANCHOR_ID);
  const profile = sandbox.config.profiles.find((p) => p.id === DEMO_PROFILE_ID);
  if (!anchor || !profile) throw new Error('The demo sandbox lost its trust anchor or profile');
  return {
    sandbox,
    pki,
    region: sandbox.config.region,
    trustAnchorArn: anchor.arn,
    profileArn: profile.arn,
    roleArn: DEMO_ROLE_ARN,
    stop: () => sandbox.stop(),
  };
}
