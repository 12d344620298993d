// `rolecall demo`: the whole flow on this machine, no AWS needed. Demo PKI → local sandbox →
// SigV4-X509 CreateSession for each key type → STS GetCallerIdentity with the credentials received.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadCredentialFiles } from '../../core/pki';
import { keyObjectSigner } from '../../core/signing';
import { createSession, sessionRequestFor, signingIdentity } from '../../core/rolesanywhere';
import { createNodeTransport } from '../../core/platform/node-transport';
import { systemClock } from '../../core/platform/clock';
import { maskAccessKeyId } from '../../core/log';
import { startDemoSandbox } from '../../sandbox/demo-sandbox';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput } from '../output';

declare const ROLECALL_VERSION: string;

const HELP = formatHelp({
  usage: 'rolecall demo [--keep]',
  summary: 'Walk through IAM Roles Anywhere on this machine: make a demo PKI, start the local sandbox, sign CreateSession with RSA, P-256 and P-384 certificates, and prove the credentials with STS GetCallerIdentity. Secrets are masked.',
  options: [
    ['--keep', 'Keep the demo PKI folder afterwards (its path is printed)'],
    ['--help', 'Show this help'],
  ],
  notes: [EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const out = createTerminalOutput(process.stdout);
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const step = (n: number, text: string) => say(`\n${out.bold(`${n}.`)} ${out.bold(text)}`);
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-demo-'));
  const transport = createNodeTransport();
  try {
    step(1, 'A demo PKI: root CA (the trust anchor), an issuing CA, and client certificates');
    const started = Date.now();
    const demo = await startDemoSandbox({ dir });
    say(`   made in ${Date.now() - started} ms under ${dir}`);
    step(2, `The local Roles Anywhere + STS sandbox (strict signature checks) at ${demo.sandbox.url}`);
    say(`   trust anchor  ${demo.trustAnchorArn}`);
    say(`   profile       ${demo.profileArn}`);
    say(`   role          ${demo.roleArn}`);

    step(3, 'CreateSession, signed with SigV4-X509 by each certificate\'s private key');
    let identitySource: Awaited<ReturnType<typeof createSession>> | undefined;
    for (const leaf of Object.values(demo.pki.leaves)) {
      const material = await loadCredentialFiles({ certificate: leaf.certificatePath, privateKey: leaf.privateKeyPath, intermediates: leaf.chainPath });
      const t0 = performance.now();
      const session = await createSession(
        sessionRequestFor(
          { trustAnchorArn: demo.trustAnchorArn, profileArn: demo.profileArn, roleArn: demo.roleArn, endpoint: demo.sandbox.url, durationSeconds: SESSION_DURATION_SECONDS.default },
          signingIdentity(material.leaf, material.chain, keyObjectSigner(material.privateKey)),
          { version: ROLECALL_VERSION },
        ),
        { transport, clock: systemClock },
      );
      const ms = (performance.now() - t0).toFixed(0);
      const tags = Object.entries(material.leaf.toSummary().principalTags).map(([key, value]) => `${key}=${value}`).join(', ');
      say(`   ${out.green('✔')} ${material.keyAlgorithm.padEnd(9)} serial ${material.leaf.serialDecimal.slice(0, 12)}…  → ${maskAccessKeyId(session.accessKeyId)}, expires ${session.expiration} (${ms} ms)`);
      say(out.dim(`     principal tags: ${tags}`));
      identitySource ??= session;
    }
    if (!identitySource) throw new Error('the demo PKI has no client certificates');

    step(4, 'STS GetCallerIdentity with the first session (AWS SDK for JavaScript v3)');
    // The SDK's Node 20 end-of-support notice is not something a demo user can act on.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const sts = new STSClient({
      region: demo.region,
      endpoint: demo.sandbox.url,
      credentials: {
        accessKeyId: identitySource.accessKeyId,
        secretAccessKey: identitySource.secretAccessKey,
        sessionToken: identitySource.sessionToken,
      },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    say(`   Account  ${identity.Account}`);
    say(`   Arn      ${identity.Arn}`);
    say(`   UserId   ${identity.UserId}`);

    step(5, 'Use it from the AWS CLI and SDKs');
    say('   With your own certificate and ARNs, in ~/.aws/config:');
    say(out.dim('   credential_process = rolecall credential-process --certificate cert.pem --private-key key.pem --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN'));
    say('   To keep a sandbox running for the AWS CLI: rolecall sandbox');
    say(`\n${out.green('Done.')} Secrets were never printed; the sandbox is stopped.${values.keep ? ` The demo PKI stays in ${dir}.` : ''}`);
    await demo.stop();
    return 0;
  } finally {
    await transport.close();
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}
