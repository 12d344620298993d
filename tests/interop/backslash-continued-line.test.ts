// Why Rolecall refuses to import a credential_process line continued with backslashes: Debian's AWS
// CLI (botocore) joins the value's lines with "\n" and splits it with shlex, which keeps the escaped line
// break, so the program receives "\n--certificate" as one argument. A recorder stands in for the helper.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);
let work: string;

beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's awscli (bash .ci/run does).`);
  work = await mkdtemp(join(tmpdir(), 'rolecall-continued-aws-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the AWS CLI running a backslash-continued credential_process line', () => {
  it('passes each backslash-newline into the next argument', async () => {
    const recorder = join(work, 'recorder');
    const argsFile = join(work, 'args.json');
    await writeFile(recorder, `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));\nprocess.stdout.write('{"Version":1,"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"example","SessionToken":"example","Expiration":"2099-01-01T00:00:00Z"}');\n`);
    await chmod(recorder, 0o755);
    const config = join(work, 'config');
    await writeFile(config, `[profile tutorial]\ncredential_process = ${recorder} credential-process \\\n    --certificate /certs/me.pem \\\n    --role-arn arn:aws:iam::123456789012:role/Developer\n`);
    await run(AWS, ['configure', 'export-credentials', '--profile', 'tutorial'], {
      env: { PATH: process.env.PATH, HOME: work, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'), AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: 60_000,
    });
    expect(JSON.parse(await readFile(argsFile, 'utf8'))).toEqual(['credential-process', '\n--certificate', '/certs/me.pem', '\n--role-arn', 'arn:aws:iam::123456789012:role/Developer']);
  });
});
