// The wizard's step for a certificate another CA signs: the request to hand over (shown, copied, saved),
// then the certificate it issued and that CA's own certificate (or AWS Private CA) for the trust anchor.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { OperationInput } from '../../shared/contract';
import type { CertificateRequestView, ProblemView } from '../../shared/model';
import { pemProblem } from '../format/setup';
import { useAction } from '../hooks/useAction';
import { ChoiceGroup, TextField } from './Fields';
import { SetupText } from './SetupText';

export type SetupCa = OperationInput<'setup.preview'>['ca'];

interface SetupRequestStepProps {
  readonly formId: string;
  readonly request: CertificateRequestView;
  readonly onImported: (certificate: CertificateRequestView, ca: SetupCa) => void;
  readonly onProblem: (problem: ProblemView | undefined) => void;
  readonly onBusy: (busy: boolean) => void;
}

const ACM_PCA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/;

export function SetupRequestStep({ formId, request, onImported, onProblem, onBusy }: SetupRequestStepProps) {
  const [issued, setIssued] = useState('');
  const [caKind, setCaKind] = useState<'pem' | 'acm-pca'>('pem');
  const [caPem, setCaPem] = useState('');
  const [pcaArn, setPcaArn] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const importing = useAction(undefined, onProblem);
  useEffect(() => onBusy(importing.busy), [importing.busy, onBusy]);

  const issuedProblem = pemProblem(issued, 'CERTIFICATE');
  const caProblem = caKind === 'pem' ? pemProblem(caPem, 'CERTIFICATE') : ACM_PCA_ARN.test(pcaArn.trim()) ? undefined : 'Give the ARN of the AWS Private CA: arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/ID.';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    onProblem(undefined);
    if (issuedProblem || caProblem) return;
    const certificate = await importing.run((api) => api.certificates.import({ name: request.name, certificatePem: issued }));
    if (certificate) onImported(certificate, caKind === 'pem' ? { kind: 'pem', pem: caPem } : { kind: 'acm-pca', arn: pcaArn.trim() });
  };

  return (
    <form id={formId} className="editor" onSubmit={(event) => void onSubmit(event)} noValidate>
      <p className="setup-lead">
        The key of <strong>{request.name}</strong> is in your keychain. Have your CA sign this certificate request ({request.subject}) as a client
        certificate: Roles Anywhere needs keyUsage digitalSignature and, when there is an extendedKeyUsage, clientAuth.
      </p>
      <SetupText label="Certificate request (CSR)" text={request.csrPem} fileName={`${request.name}.csr`} onProblem={onProblem} />
      <PemField label="Certificate your CA issued (PEM)" value={issued} onValue={setIssued} error={submitted ? issuedProblem : undefined} note="With the intermediate certificates after it, if your CA gave you a chain." />
      <ChoiceGroup<'pem' | 'acm-pca'>
        legend="The CA that Roles Anywhere trusts (the trust anchor)"
        name="trust-anchor-ca"
        value={caKind}
        onValue={setCaKind}
        choices={[
          { value: 'pem', label: 'Its CA certificate', explanation: 'The root or intermediate certificate that issued yours.' },
          { value: 'acm-pca', label: 'An AWS Private CA', explanation: 'When AWS Private CA issued the certificate.' },
        ]}
      />
      {caKind === 'pem' ? (
        <PemField label="CA certificate (PEM)" value={caPem} onValue={setCaPem} error={submitted ? caProblem : undefined} />
      ) : (
        <TextField label="AWS Private CA ARN" value={pcaArn} onValue={setPcaArn} error={submitted ? caProblem : undefined} spellCheck={false} autoComplete="off" />
      )}
    </form>
  );
}

interface PemFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly error?: string | undefined;
  readonly note?: string;
}

/** A PEM pasted in, or read from a file the user picks (a certificate is public: the window may read it). */
function PemField({ label, value, onValue, error, note }: PemFieldProps) {
  const id = useId();
  const noteId = useId();
  const message = error ?? note;
  return (
    <div className="field">
      <div className="pem-label">
        <label htmlFor={id}>{label}</label>
        <label className="button small file-button">
          Choose file…
          <input
            type="file"
            accept=".pem,.crt,.cer,.txt"
            className="sr-only"
            aria-label={`Choose the file: ${label}`}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then(onValue);
              event.target.value = '';
            }}
          />
        </label>
      </div>
      <textarea
        id={id}
        className="pem-input"
        value={value}
        rows={4}
        spellCheck={false}
        placeholder="-----BEGIN CERTIFICATE-----"
        aria-invalid={error ? true : undefined}
        aria-describedby={message ? noteId : undefined}
        onChange={(event) => onValue(event.target.value)}
      />
      {message && (
        <p id={noteId} className={error ? 'field-error' : 'field-note'}>
          {message}
        </p>
      )}
    </div>
  );
}
