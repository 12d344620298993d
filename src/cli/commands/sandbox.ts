// `rolecall sandbox`: the local Roles Anywhere + IAM + STS emulator in the foreground, for trying
// Rolecall (and the AWS CLI and SDKs) without an AWS account. Its account lives in its folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../../shared/errors';
import { defaultDataDir } from '../../core/store';
import { startDemoSandbox, TrustCaError, type DemoSandbox, type TrustCa } from '../../sandbox/demo-sandbox';
import { SandboxStateError } from '../../sandbox/state-store';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';

const HELP = formatHelp({
  usage: 'rolecall sandbox [--port N] [--host ADDRESS] [--dir FOLDER] [--trust-ca FILE]... [--reset] [--fresh-pki]',
  summary: 'Run a local IAM Roles Anywhere + IAM + STS emulator with strict signature checks and a demo PKI, until Ctrl-C.',
  options: [
    ['--port N', 'Port to listen on (default: any free port)'],
    ['--host ADDRESS', 'Loopback address to bind (default 127.0.0.1)'],
    ['--dir FOLDER', 'Where the demo PKI and the sandbox\'s account live (default: the Rolecall data folder\'s sandbox/)'],
    ['--trust-ca FILE', 'Trust your own CA (PEM bundle): a trust anchor for it, once, that the demo profile and role accept. Repeatable'],
    ['--reset', 'Start the account over: only the demo trust anchor, profile and role (the PKI and the admin key stay)'],
    ['--fresh-pki', 'Make a new demo PKI even if one exists'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'Not AWS: credentials it issues work only against the sandbox itself. Trust anchors, profiles, CRLs and roles you create with `aws rolesanywhere …` / `aws iam …` (--endpoint-url, signed with the admin key it prints) are kept across restarts.',
    EXIT_CODES_HELP,
  ],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    dir: { type: 'string' },
    'trust-ca': { type: 'string', multiple: true },
    reset: { type: 'boolean' },
    'fresh-pki': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RolecallError('USAGE', `--port ${values.port}`);
  const trustCas = await readTrustCas(values['trust-ca'] ?? []);
  const dir = values.dir ?? join(defaultDataDir(), 'sandbox');
  const out = createTerminalOutput(process.stdout);
  const startedAt = performance.now();
  const demo = await start({ dir, port, ...(values.host ? { host: values.host } : {}), freshPki: Boolean(values['fresh-pki']), reset: Boolean(values.reset), trustCas });
  const startMs = performance.now() - startedAt;
  process.stdout.write(sandboxGuide(demo, out, startMs));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await demo.stop();
  process.stdout.write('Sandbox stopped.\n');
  return 0;
}

async function readTrustCas(paths: readonly string[]): Promise<TrustCa[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { source: path, pem: await readFile(path, 'utf8') };
      } catch (error) {
        throw new RolecallError('FILE_UNREADABLE', `--trust-ca ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
    }),
  );
}

async function start(options: Parameters<typeof startDemoSandbox>[0]): Promise<DemoSandbox> {
  try {
    return await startDemoSandbox(options);
  } catch (error) {
    if (error instanceof TrustCaError) {
      const code = error.problem === 'no-certificate' ? 'CERT_NOT_FOUND' : error.problem === 'unreadable' ? 'CERT_UNREADABLE' : 'USAGE';
      throw new RolecallError(code, `--trust-ca ${error.message}`);
    }
    if (error instanceof SandboxStateError) throw new RolecallError('STORE_CORRUPT', error.message);
    throw error;
  }
}

/** Everything needed to point Rolecall, the AWS CLI and the SDKs at the sandbox. */
export function sandboxGuide(demo: DemoSandbox, out: TerminalOutput, startMs: number): string {
  const { url } = demo.sandbox;
  const { region } = demo;
  const admin = demo.sandbox.adminKey;
  const rsa = demo.pki.leaves['rsa-2048'];
  const lines = [
    out.bold(`Roles Anywhere sandbox listening on ${url}`) + out.dim(`  (ready in ${Math.round(startMs)} ms)`),
    '',
    `  region             ${region}`,
    `  trust anchor ARN   ${demo.trustAnchorArn}`,
    `  profile ARN        ${demo.profileArn}`,
    `  role ARN           ${demo.roleArn}`,
    ...demo.trustedCas.map((ca) => `  your CA            ${ca.trustAnchorArn}  (${ca.subject}, from ${ca.source}${ca.created ? '' : ', already trusted'})`),
    '',
    `  root CA            ${demo.pki.rootCertificatePath}`,
    `  intermediates      ${demo.pki.chainPath}`,
    ...Object.values(demo.pki.leaves).map((leaf) => `  ${leaf.kind.padEnd(18)} ${leaf.certificatePath}  (key ${leaf.privateKeyPath})`),
    `  account state      ${demo.stateFile}`,
    '',
    out.bold('Admin key') + ' (sandbox only: signs control-plane calls; the same for this folder, --reset included):',
    `  AWS_ACCESS_KEY_ID=${admin.accessKeyId}`,
    `  AWS_SECRET_ACCESS_KEY=${admin.secretAccessKey}`,
    '',
    out.bold('AWS CLI') + ' (with the admin key in the environment):',
    `  aws rolesanywhere list-trust-anchors --endpoint-url ${url} --region ${region}`,
    `  aws iam list-roles --endpoint-url ${url} --region us-east-1`,
    `  aws sts get-caller-identity --endpoint-url ${url} --region ${region}`,
    '',
    out.bold('SDKs') + ' (and AWS CLI 2.13 or later, without --endpoint-url):',
    `  export AWS_ACCESS_KEY_ID=${admin.accessKeyId} AWS_SECRET_ACCESS_KEY=${admin.secretAccessKey} AWS_REGION=${region}`,
    `  export AWS_ENDPOINT_URL_ROLESANYWHERE=${url} AWS_ENDPOINT_URL_IAM=${url} AWS_ENDPOINT_URL_STS=${url}`,
    '',
    out.bold('Rolecall:'),
    `  rolecall profiles add sandbox-demo --endpoint ${url} --certificate ${rsa.certificatePath} --private-key ${rsa.privateKeyPath} --intermediates ${demo.pki.chainPath} --trust-anchor-arn ${demo.trustAnchorArn} --profile-arn ${demo.profileArn} --role-arn ${demo.roleArn}`,
    ...demo.trustedCas.map(
      (ca) => `  rolecall profiles add my-cert --endpoint ${url} --certificate YOUR-CERT.pem --private-key YOUR-KEY.pem --trust-anchor-arn ${ca.trustAnchorArn} --profile-arn ${demo.profileArn} --role-arn ${demo.roleArn}`,
    ),
    `  rolecall credential-process --endpoint ${url} --certificate ${rsa.certificatePath} --private-key ${rsa.privateKeyPath} --intermediates ${demo.pki.chainPath} --trust-anchor-arn ${demo.trustAnchorArn} --profile-arn ${demo.profileArn} --role-arn ${demo.roleArn}`,
    '',
    out.dim('Press Ctrl-C to stop.'),
  ];
  return lines.join('\n') + '\n';
}
