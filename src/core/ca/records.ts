// Rolecall's own CAs, in one locked JSON document (<dataDir>/cas.json): the name, the CA certificate
// (public; also written to a file for the trust anchor) and the keychain account of its key.
import { join } from 'node:path';
import { z } from 'zod';
import { profileNameSchema } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import { KEY_TYPES } from '../certificates/key-types';
import { JsonDocument } from '../store/json-document';

export const CAS_FILE_NAME = 'cas.json';

export const caRecordSchema = z.object({
  name: profileNameSchema,
  subject: z.string().min(1),
  keyType: z.enum(KEY_TYPES),
  /** The CA's private key: PKCS#8 PEM in the keychain under this account, never in a file. */
  keyAccount: z.string().min(1),
  certificatePem: z.string().min(1),
  /** Where the certificate was written for the trust anchor (in the data folder). */
  certificatePath: z.string().min(1),
  createdAt: z.string(),
});

export type CaRecord = z.infer<typeof caRecordSchema>;

const contentSchema = z.object({ cas: z.array(caRecordSchema) }).superRefine((content, context) => {
  const seen = new Set<string>();
  content.cas.forEach((record, index) => {
    if (seen.has(record.name)) context.addIssue({ code: 'custom', path: ['cas', index, 'name'], message: `a second entry named "${record.name}"; remove one of them` });
    seen.add(record.name);
  });
});

export class CaRecords {
  private readonly document: JsonDocument<z.infer<typeof contentSchema>>;

  constructor(dataDir: string) {
    this.document = new JsonDocument({ path: join(dataDir, CAS_FILE_NAME), schema: contentSchema, defaultValue: () => ({ cas: [] }) });
  }

  async list(): Promise<CaRecord[]> {
    return (await this.document.read()).cas;
  }

  async get(name: string): Promise<CaRecord | undefined> {
    return (await this.list()).find((record) => record.name === name);
  }

  async require(name: string): Promise<CaRecord> {
    const record = await this.get(name);
    if (!record) throw new RolecallError('CA_NOT_FOUND', name);
    return record;
  }

  async add(record: CaRecord): Promise<void> {
    await this.document.update((content) => {
      if (content.cas.some((existing) => existing.name === record.name)) throw new RolecallError('CA_EXISTS', record.name);
      return { cas: [...content.cas, record] };
    });
  }

  async remove(name: string): Promise<void> {
    await this.document.update((content) => ({ cas: content.cas.filter((record) => record.name !== name) }));
  }
}
