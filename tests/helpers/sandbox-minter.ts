// A real SessionMinter for tests: signs CreateSession with the fixture leaf's key through src/core/pki,
// src/core/signing and src/core/rolesanywhere, and sends it to a sandbox, as the composition root does
// with a profile's own key and ARNs. Each profile name becomes the role session name, so the sandbox's
// issued credentials tell which profile they were minted for.
import { readFileSync } from 'node:fs';
import { loadCredentials, type Credentials } from '../../src/core/pki';
import type { Clock } from '../../src/core/platform/clock';
import { createNodeTransport, type NodeTransport } from '../../src/core/platform/node-transport';
import { createSession, type SessionCredentials } from '../../src/core/rolesanywhere';
import type { MintOptions, SessionMinter } from '../../src/core/sessions/ports';
import { keyObjectSigner, type Signer } from '../../src/core/signing';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './fixture-sandbox';
import type { IoTracker } from './virtual-clock';

export interface SandboxMinterOptions {
  /** The sandbox's base URL. */
  readonly endpoint: string;
  readonly clock: Clock;
  /** Certificate and key to sign with (see loadSigningCredentials). */
  readonly signing: Credentials;
  /** Counts the HTTP requests and signatures, when the clock is virtual. */
  readonly io?: IoTracker;
  readonly random?: () => number;
}

/** The fixture leaf issued straight by the sandbox's trusted root (no intermediates needed). */
export function loadSigningCredentials(certificatePath: string, keyPath: string): Credentials {
  return loadCredentials({ certificate: readFileSync(certificatePath), privateKey: readFileSync(keyPath) });
}

export class SandboxMinter implements SessionMinter {
  /** Profile names in the order their mints started. */
  readonly minted: string[] = [];
  private readonly transport: NodeTransport = createNodeTransport();
  private readonly signer: Signer;

  constructor(private readonly options: SandboxMinterOptions) {
    const signer = keyObjectSigner(options.signing.privateKey);
    const io = options.io;
    this.signer = io === undefined ? signer : { algorithm: signer.algorithm, sign: (data) => io.track(signer.sign(data)) };
  }

  regionOf(): string {
    return 'us-east-1';
  }

  mint(name: string, options: MintOptions = {}): Promise<SessionCredentials> {
    this.minted.push(name);
    const io = this.options.io;
    const transport: typeof this.transport = io === undefined ? this.transport : Object.assign((request: Parameters<NodeTransport>[0]) => io.track(this.transport(request)), { close: () => this.transport.close() });
    const { signing } = this.options;
    return createSession(
      {
        trustAnchorArn: TRUST_ANCHOR_ARN,
        profileArn: PROFILE_ARN,
        roleArn: ROLE_ARN,
        endpoint: this.options.endpoint,
        roleSessionName: name,
        certificateDer: signing.leaf.der,
        chainDer: signing.chain.map((certificate) => certificate.der),
        serialDecimal: signing.leaf.serialDecimal,
        signer: this.signer,
      },
      {
        transport,
        clock: this.options.clock,
        ...(this.options.random && { random: this.options.random }),
        ...(options.beforeAttempt && { beforeAttempt: options.beforeAttempt }),
      },
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
