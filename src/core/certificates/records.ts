// Certificate requests and the certificates issued for them, in one locked JSON document
// (<dataDir>/certificates.json). Only public material is kept here: the private key rests in the
// keychain (or in the user's own file, when they chose that) and the record names where.
import { join } from 'node:path';
import { z } from 'zod';
import { profileNameSchema } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import { keySourceSchema } from '../profiles/definition';
import { JsonDocument } from '../store/json-document';
import { KEY_TYPES } from './key-types';

export const CERTIFICATES_FILE_NAME = 'certificates.json';

export const issuerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rolecall-ca'), ca: profileNameSchema }),
  z.object({ kind: z.literal('external') }),
]);

export const certificateRecordSchema = z.object({
  name: profileNameSchema,
  state: z.enum(['pending', 'issued']),
  keyType: z.enum(KEY_TYPES),
  /** As typed, normalised: "CN=alice,OU=devops". */
  subject: z.string().min(1),
  /** "dns:host" and "uri:…" entries. */
  sans: z.array(z.string().min(1)),
  key: keySourceSchema,
  csrPem: z.string().min(1),
  certificatePem: z.string().min(1).optional(),
  /** Intermediates to send with it, PEM each (none when a Rolecall CA, itself the trust anchor, issued it). */
  chainPem: z.array(z.string().min(1)).max(5).optional(),
  issuedBy: issuerSchema.optional(),
  createdAt: z.string(),
  issuedAt: z.string().optional(),
});

export type CertificateRecord = z.infer<typeof certificateRecordSchema>;
export type CertificateIssuer = z.infer<typeof issuerSchema>;

const contentSchema = z.object({ certificates: z.array(certificateRecordSchema) }).superRefine((content, context) => {
  const seen = new Set<string>();
  content.certificates.forEach((record, index) => {
    if (seen.has(record.name)) context.addIssue({ code: 'custom', path: ['certificates', index, 'name'], message: `a second entry named "${record.name}"; remove one of them` });
    seen.add(record.name);
  });
});

export class CertificateRecords {
  private readonly document: JsonDocument<z.infer<typeof contentSchema>>;

  constructor(dataDir: string) {
    this.document = new JsonDocument({ path: join(dataDir, CERTIFICATES_FILE_NAME), schema: contentSchema, defaultValue: () => ({ certificates: [] }) });
  }

  get path(): string {
    return this.document.path;
  }

  async list(): Promise<CertificateRecord[]> {
    return (await this.document.read()).certificates;
  }

  async get(name: string): Promise<CertificateRecord | undefined> {
    return (await this.list()).find((record) => record.name === name);
  }

  async require(name: string): Promise<CertificateRecord> {
    const record = await this.get(name);
    if (!record) throw new RolecallError('CERTIFICATE_NOT_FOUND', name);
    return record;
  }

  async add(record: CertificateRecord): Promise<void> {
    await this.document.update((content) => {
      if (content.certificates.some((existing) => existing.name === record.name)) throw new RolecallError('CERTIFICATE_EXISTS', record.name);
      return { certificates: [...content.certificates, record] };
    });
  }

  /** Replaces a record under the lock; `change` sees the latest one. */
  async put(name: string, change: (current: CertificateRecord) => CertificateRecord): Promise<CertificateRecord> {
    let written: CertificateRecord | undefined;
    await this.document.update((content) => {
      const current = content.certificates.find((record) => record.name === name);
      if (!current) throw new RolecallError('CERTIFICATE_NOT_FOUND', name);
      written = change(current);
      return { certificates: content.certificates.map((record) => (record.name === name ? (written as CertificateRecord) : record)) };
    });
    return written as CertificateRecord;
  }

  async remove(name: string): Promise<void> {
    await this.document.update((content) => ({ certificates: content.certificates.filter((record) => record.name !== name) }));
  }
}
