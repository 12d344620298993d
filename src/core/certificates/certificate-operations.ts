// The agent's answers to the certificate and local CA operations of the contract (the setup wizard's
// first step; the CLI runs the same managers in its own process). Views carry public material only.
import type { ParsedInput } from '../agent';
import type { LocalCaManager } from '../ca/manager';
import type { CaRecord } from '../ca/records';
import { renewalDueAt } from '../ca/renewal';
import { parseCertificates } from '../pki/certificate';
import type { Clock } from '../platform/clock';
import type { OperationOutput } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { CertificateRequestView, LocalCaView } from '../../shared/model';
import { parseKeyType } from './key-types';
import type { CertificateManager } from './manager';
import type { CertificateRecord } from './records';
import { toCertificateView } from './view';

type CertificateOperation = 'certificates.list' | 'certificates.create' | 'certificates.import' | 'certificates.remove' | 'cas.list' | 'cas.create' | 'cas.issue';

export type CertificateHandlers = { readonly [N in CertificateOperation]: (input: ParsedInput<N>) => Promise<OperationOutput<N>> };

export interface CertificateOperationsOptions {
  readonly certificates: CertificateManager;
  readonly cas: LocalCaManager;
  readonly clock: Clock;
}

export function certificateOperations({ certificates, cas, clock }: CertificateOperationsOptions): CertificateHandlers {
  const view = (record: CertificateRecord): CertificateRequestView => {
    const shown = toCertificateView(record, clock.now());
    if (record.issuedBy?.kind !== 'rolecall-ca' || !shown.certificate) return shown;
    return { ...shown, renewsAt: new Date(renewalDueAt(Date.parse(shown.certificate.notBefore), Date.parse(shown.certificate.notAfter))).toISOString() };
  };
  return {
    async 'certificates.list'() {
      return (await certificates.list()).map(view);
    },
    async 'certificates.create'({ name, subject, sans, keyType }) {
      return view(await certificates.create({ name, subject, ...(sans && { sans }), ...(keyType !== undefined && { keyType: parseKeyType(keyType) }) }));
    },
    async 'certificates.import'({ name, certificatePem, intermediatesPem }) {
      return view(await certificates.import({ name, certificate: certificatePem, ...(intermediatesPem !== undefined && { intermediates: intermediatesPem }) }));
    },
    async 'certificates.remove'({ name }) {
      await certificates.remove(name);
      return { removed: name };
    },
    async 'cas.list'() {
      return (await cas.list()).map(caView);
    },
    async 'cas.create'({ name, subject, keyType, days }) {
      return caView(await cas.create({ name, subject, ...(keyType !== undefined && { keyType: parseKeyType(keyType) }), ...(days !== undefined && { days }) }));
    },
    async 'cas.issue'({ ca, certificate, days }) {
      return view(await cas.issue({ ca, certificate, ...(days !== undefined && { days }) }));
    },
  };
}

export function caView(record: CaRecord): LocalCaView {
  const [certificate] = parseCertificates(record.certificatePem);
  if (!certificate) throw new RolecallError('CERT_NOT_FOUND', `the stored certificate of Rolecall CA ${record.name}`);
  return {
    name: record.name,
    subject: record.subject,
    keyType: record.keyType,
    certificatePath: record.certificatePath,
    notAfter: certificate.notAfter.toISOString(),
    createdAt: record.createdAt,
  };
}
