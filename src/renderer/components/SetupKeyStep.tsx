// The wizard's first step: a key born in the keychain for a subject, then either a certificate from a
// Rolecall CA (chosen or created here) or a certificate request for another CA to sign.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CertificateRequestView, LocalCaView, ProblemView } from '../../shared/model';
import { attempt } from '../api';
import { commonName, KEY_TYPE_CHOICES, setupNameProblem } from '../format/setup';
import { useAction } from '../hooks/useAction';
import { ChoiceGroup, TextField } from './Fields';

export type Signer = 'rolecall-ca' | 'csr';

export interface MadeKey {
  readonly name: string;
  readonly certificate: CertificateRequestView;
  /** The Rolecall CA that issued it; absent for a request another CA signs. */
  readonly ca?: string;
}

interface SetupKeyStepProps {
  readonly formId: string;
  readonly onMade: (made: MadeKey) => void;
  readonly onProblem: (problem: ProblemView | undefined) => void;
  readonly onBusy: (busy: boolean) => void;
}

const NEW_CA = '';

export function SetupKeyStep({ formId, onMade, onProblem, onBusy }: SetupKeyStepProps) {
  const keyTypeId = useId();
  const caId = useId();
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [keyType, setKeyType] = useState('p256');
  const [signer, setSigner] = useState<Signer>('rolecall-ca');
  const [cas, setCas] = useState<readonly LocalCaView[]>([]);
  const [caChoice, setCaChoice] = useState(NEW_CA);
  const [caName, setCaName] = useState('rolecall-ca');
  const [caSubject, setCaSubject] = useState('CN=Rolecall CA');
  const [submitted, setSubmitted] = useState(false);
  const make = useAction(undefined, onProblem);

  useEffect(() => {
    void attempt((api) => api.cas.list({})).then((outcome) => {
      if (!outcome.ok || outcome.value.length === 0) return;
      setCas(outcome.value);
      setCaChoice(outcome.value[0]?.name ?? NEW_CA);
    });
  }, []);
  useEffect(() => onBusy(make.busy), [make.busy, onBusy]);

  // A refusal is about what was typed: it goes once the typing changes.
  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    onProblem(undefined);
  };
  const nameProblem = setupNameProblem(name);
  const subjectProblem = subject.trim() === '' ? 'Give the certificate\'s subject, at least CN=….' : undefined;
  const newCa = signer === 'rolecall-ca' && caChoice === NEW_CA;
  const caNameProblem = newCa ? setupNameProblem(caName) : undefined;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    onProblem(undefined);
    if (nameProblem || subjectProblem || caNameProblem) return;
    const made = await make.run(async (api) => {
      const request = await api.certificates.create({ name, subject: subject.trim(), keyType });
      if (signer === 'csr') return { name, certificate: request };
      try {
        const ca = newCa ? (await api.cas.create({ name: caName, subject: caSubject.trim(), keyType })).name : caChoice;
        return { name, certificate: await api.cas.issue({ ca, certificate: name }), ca };
      } catch (error) {
        // Nothing half made stays: the request goes with its key, the CA (whole on its own) stays.
        await api.certificates.remove({ name }).catch(() => undefined);
        throw error;
      }
    });
    if (made) onMade(made);
  };

  return (
    <form id={formId} className="editor" onSubmit={(event) => void onSubmit(event)} noValidate>
      <TextField
        label="Name"
        value={name}
        onValue={edited(setName)}
        error={submitted ? nameProblem : undefined}
        note="Names the key, the AWS resources (rolecall-NAME) and the Rolecall profile."
        spellCheck={false}
        autoComplete="off"
        data-autofocus
        className="field-name"
      />
      <TextField
        label="Subject"
        value={subject}
        onValue={edited(setSubject)}
        onBlur={() => {
          if (name === '' && commonName(subject)) setName(commonName(subject)?.replace(/[^A-Za-z0-9_-]/g, '-') ?? '');
        }}
        error={submitted ? subjectProblem : undefined}
        placeholder="CN=alice,OU=devops,O=Example Corp"
        note="Its OU and CN become the session's principal tags, which the role's trust policy can require."
        spellCheck={false}
        autoComplete="off"
      />
      <div className="field field-inline">
        <label htmlFor={keyTypeId}>Key type</label>
        <select id={keyTypeId} value={keyType} onChange={(event) => setKeyType(event.target.value)}>
          {KEY_TYPE_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <p className="muted setup-key-note">The private key is made inside your keychain and never written to a file.</p>
      <ChoiceGroup<Signer>
        legend="Who signs the certificate"
        name="signer"
        value={signer}
        onValue={setSigner}
        choices={[
          { value: 'rolecall-ca', label: 'A Rolecall CA on this computer', explanation: 'For a personal or sandbox account. Rolecall issues the certificate and renews it.' },
          { value: 'csr', label: 'Another CA (my organisation\'s, AWS Private CA, openssl)', explanation: 'Rolecall makes a certificate request for it to sign; you import the certificate it issues.' },
        ]}
      />
      {signer === 'rolecall-ca' && (
        <div className="setup-ca">
          <div className="field field-inline">
            <label htmlFor={caId}>CA</label>
            <select id={caId} value={caChoice} onChange={(event) => setCaChoice(event.target.value)}>
              {cas.map((ca) => (
                <option key={ca.name} value={ca.name}>
                  {ca.name} ({ca.subject})
                </option>
              ))}
              <option value={NEW_CA}>A new CA…</option>
            </select>
          </div>
          {newCa && (
            <div className="field-grid">
              <TextField label="New CA's name" value={caName} onValue={setCaName} error={submitted ? caNameProblem : undefined} spellCheck={false} autoComplete="off" />
              <TextField label="New CA's subject" value={caSubject} onValue={setCaSubject} spellCheck={false} autoComplete="off" />
            </div>
          )}
        </div>
      )}
    </form>
  );
}
