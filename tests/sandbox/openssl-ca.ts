// A CA made with the openssl command line exactly as the Roles Anywhere tutorials make one
// (`openssl req -x509` with basicConstraints CA:true), client certificates it signs, and a CRL from
// `openssl ca -gencrl`: the files a new user brings to the sandbox.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The trust policy of the Roles Anywhere tutorials: the service may assume the role for certificates of OU "devops". */
export const TUTORIAL_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'devops' } },
    },
  ],
});

export interface OpensslCa {
  readonly dir: string;
  readonly certificatePath: string;
  readonly keyPath: string;
  readonly pem: string;
}

export interface OpensslLeaf {
  readonly certificatePath: string;
  readonly keyPath: string;
  /** Lowercase hex without leading zeros. */
  readonly serialHex: string;
}

export async function makeOpensslCa(dir: string, name = 'Tutorial Root CA'): Promise<OpensslCa> {
  const certificatePath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca.key');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '365',
    '-keyout', keyPath, '-out', certificatePath,
    '-subj', `/C=US/O=Example Corp/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:true',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'crlnumber'), '01\n');
  await writeFile(
    join(dir, 'ca.cnf'),
    ['[ ca ]', 'default_ca = CA_default', '[ CA_default ]', `database = ${join(dir, 'index.txt')}`, `crlnumber = ${join(dir, 'crlnumber')}`,
      `certificate = ${certificatePath}`, `private_key = ${keyPath}`, 'default_md = sha256', 'default_crl_days = 30', ''].join('\n'),
  );
  return { dir, certificatePath, keyPath, pem: await readFile(certificatePath, 'utf8') };
}

/** A client certificate as the tutorials issue it: `openssl req -new` then `openssl x509 -req` with clientAuth. */
export async function issueOpensslLeaf(ca: OpensslCa, name: string, subject: string): Promise<OpensslLeaf> {
  const keyPath = join(ca.dir, `${name}.key`);
  const csrPath = join(ca.dir, `${name}.csr`);
  const certificatePath = join(ca.dir, `${name}.pem`);
  const extPath = join(ca.dir, `${name}.ext`);
  await writeFile(extPath, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', subject]);
  await run('openssl', ['x509', '-req', '-in', csrPath, '-CA', ca.certificatePath, '-CAkey', ca.keyPath, '-CAcreateserial', '-sha256', '-days', '30', '-extfile', extPath, '-out', certificatePath]);
  const { stdout } = await run('openssl', ['x509', '-in', certificatePath, '-noout', '-serial']);
  const serial = stdout.trim().replace(/^serial=/, '');
  return { certificatePath, keyPath, serialHex: BigInt(`0x${serial}`).toString(16) };
}

/** Revokes the leaves and returns the CRL (PEM) that `openssl ca -gencrl` makes. */
export async function revokeAndMakeCrl(ca: OpensslCa, leaves: readonly OpensslLeaf[]): Promise<{ path: string; pem: string }> {
  const config = join(ca.dir, 'ca.cnf');
  for (const leaf of leaves) await run('openssl', ['ca', '-config', config, '-revoke', leaf.certificatePath]);
  const path = join(ca.dir, 'crl.pem');
  await run('openssl', ['ca', '-config', config, '-gencrl', '-out', path]);
  return { path, pem: await readFile(path, 'utf8') };
}
