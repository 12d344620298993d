// The CloudFormation template checked against the resource specification as the CloudFormation docs
// give it (types, required properties, ranges, references and attributes), read back by a real YAML
// parser, and by cfn-lint, which .ci/run installs from PyPI (skipped only where PyPI cannot be reached).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cloudFormationTemplate, pinnedTags, planSetup, templateText, trustAnchorSource, type SetupPlan } from '../../../src/core/aws-setup';
import type { JsonValue } from '../../../src/core/aws-setup/yaml-text';
import { createSessionAuthorization, evaluateTrustPolicy, parseTrustPolicy } from '../../../src/sandbox/policy';
import { pki } from '../pki/helpers';

const run = promisify(execFile);
const CFN_LINT = spawnSync('cfn-lint', ['--version']).status === 0;

type Json = { [key: string]: JsonValue };

/** Per the CloudFormation template reference: required properties and the attributes Fn::GetAtt may read. */
const SPEC: Record<string, { required: string[]; known: string[]; attributes: string[] }> = {
  'AWS::RolesAnywhere::TrustAnchor': { required: ['Name', 'Source'], known: ['Name', 'Source', 'Enabled', 'Tags', 'NotificationSettings'], attributes: ['TrustAnchorArn', 'TrustAnchorId'] },
  'AWS::IAM::Role': {
    required: ['AssumeRolePolicyDocument'],
    known: ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'],
    attributes: ['Arn', 'RoleId'],
  },
  'AWS::RolesAnywhere::Profile': {
    required: ['Name', 'RoleArns'],
    known: ['AcceptRoleSessionName', 'AttributeMappings', 'DurationSeconds', 'Enabled', 'ManagedPolicyArns', 'Name', 'RequireInstanceProperties', 'RoleArns', 'SessionPolicy', 'Tags'],
    attributes: ['ProfileArn', 'ProfileId'],
  },
};

let dir: string;
let pemPlan: SetupPlan;
let pcaPlan: SetupPlan;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-cfn-'));
  const pinned = pinnedTags({ 'x509Subject/OU': 'devops', 'x509Subject/CN': 'alice' }, []);
  pemPlan = planSetup({
    name: 'dev',
    source: await trustAnchorSource({ kind: 'pem-file', path: 'root-ca.cert.pem', contents: pki('root-ca.cert.pem') }),
    pinned,
    managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/team/Deploy'],
    sessionSeconds: 7200,
  });
  pcaPlan = planSetup({ name: 'pca', source: await trustAnchorSource({ kind: 'acm-pca', arn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666' }), pinned });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every {Ref} and {Fn::GetAtt} in a value. */
function references(value: JsonValue, found: Array<{ ref?: string; getAtt?: [string, string] }> = []): typeof found {
  if (Array.isArray(value)) for (const item of value as JsonValue[]) references(item, found);
  else if (value && typeof value === 'object') {
    const object = value as Json;
    if (typeof object.Ref === 'string') found.push({ ref: object.Ref });
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt)) found.push({ getAtt: [String(getAtt[0]), String(getAtt[1])] });
    for (const item of Object.values(object)) references(item, found);
  }
  return found;
}

function checkAgainstSpec(template: Json): void {
  expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
  const resources = template.Resources as Record<string, Json>;
  const parameters = template.Parameters as Record<string, Json>;
  for (const [logicalId, resource] of Object.entries(resources)) {
    const spec = SPEC[resource.Type as string];
    expect(spec, `${logicalId} has a type this setup should not make`).toBeDefined();
    const properties = resource.Properties as Json;
    for (const required of spec!.required) expect(properties[required], `${logicalId}.${required}`).toBeDefined();
    for (const property of Object.keys(properties)) expect(spec!.known, `${logicalId}.${property}`).toContain(property);
  }
  for (const { ref, getAtt } of references(template)) {
    if (ref !== undefined) expect([...Object.keys(parameters), ...Object.keys(resources)]).toContain(ref);
    if (getAtt) expect(SPEC[resources[getAtt[0]]?.Type as string]?.attributes).toContain(getAtt[1]);
  }
  for (const parameter of Object.values(parameters)) expect(['String', 'Number', 'CommaDelimitedList']).toContain(parameter.Type);
  expect(Object.keys(template.Outputs as Json).sort()).toEqual(['ProfileArn', 'RoleArn', 'TrustAnchorArn']);
}

describe('the CloudFormation template', () => {
  test('has the trust anchor, role and profile with their required properties, and references that resolve', () => {
    const template = cloudFormationTemplate(pemPlan) as Json;
    checkAgainstSpec(template);
    const resources = template.Resources as Record<string, { Properties: Json }>;
    const source = resources.TrustAnchor!.Properties.Source as Json;
    expect(source.SourceType).toBe('CERTIFICATE_BUNDLE');
    expect((source.SourceData as Json).X509CertificateData).toContain('-----BEGIN CERTIFICATE-----');
    expect(resources.Profile!.Properties.RoleArns).toEqual([{ 'Fn::GetAtt': ['Role', 'Arn'] }]);
    expect(resources.Role!.Properties.Tags).toEqual([{ Key: 'rolecall:setup', Value: 'dev' }]);
    expect((template.Parameters as Record<string, Json>).MaxSessionDurationSeconds!.Default).toBe(7200);
    checkAgainstSpec(cloudFormationTemplate(pcaPlan) as Json);
    const pcaSource = ((cloudFormationTemplate(pcaPlan) as Json).Resources as Record<string, { Properties: Json }>).TrustAnchor!.Properties.Source as Json;
    expect(pcaSource).toEqual({ SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666' } });
  });

  test('holds a trust policy IAM accepts, pinned to the trust anchor it creates', () => {
    const template = cloudFormationTemplate(pemPlan) as Json;
    const document = ((template.Resources as Record<string, { Properties: Json }>).Role!.Properties.AssumeRolePolicyDocument) as Json;
    const anchorArn = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555';
    // What CloudFormation hands IAM once Fn::GetAtt is resolved.
    const resolved = JSON.stringify(document).replace(JSON.stringify({ 'Fn::GetAtt': ['TrustAnchor', 'TrustAnchorArn'] }), JSON.stringify(anchorArn));
    const parsed = parseTrustPolicy(resolved);
    if (!parsed.ok) throw new Error(parsed.refusal.message);
    const request = createSessionAuthorization({ principalTags: { 'x509Subject/OU': 'devops', 'x509Subject/CN': 'alice' }, trustAnchorArn: anchorArn, sourceIdentity: 'CN=alice', now: Date.now() });
    expect(evaluateTrustPolicy(parsed.policy, request).decision).toBe('Allow');
  });

  test('reads back from YAML as the same template as its JSON form', async () => {
    const yamlPath = join(dir, 'template.yaml');
    await writeFile(yamlPath, templateText(pemPlan, 'yaml'));
    const script = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
    const { stdout } = await run('/usr/bin/python3', ['-c', script, yamlPath]);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(templateText(pemPlan, 'json')));
    expect(await readFile(yamlPath, 'utf8')).toContain('X509CertificateData: |\n');
  });

  test.runIf(CFN_LINT)('passes cfn-lint with no error, as YAML and as JSON, for a CA file and an AWS Private CA', async () => {
    for (const [name, plan, format] of [['pem.yaml', pemPlan, 'yaml'], ['pem.json', pemPlan, 'json'], ['pca.yaml', pcaPlan, 'yaml']] as const) {
      const path = join(dir, name);
      await writeFile(path, templateText(plan, format));
      const result = spawnSync('cfn-lint', ['--format', 'parseable', path], { encoding: 'utf8' });
      // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
      expect(result.status! & 2, `${name}:\n${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout, name).toBe('');
    }
  }, 120_000);
});
