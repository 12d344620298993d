import { useId, useState } from 'react';
import type { AgentInfo, ProblemView, SandboxTrustedCa, Settings, Shell } from '../../shared/model';
import { REQUEST_TIMEOUT_SECONDS, SHELLS } from '../../shared/model';
import { SHELL_LABEL } from '../format/shell';
import { useAction } from '../hooks/useAction';
import { Banner } from './Banner';
import { Dialog } from './Dialog';
import { SandboxTrustSection } from './SandboxTrustSection';

// A few sensible choices rather than free typing, so every choice is valid (1 to 300 s).
const TIMEOUT_CHOICES = [10, 20, REQUEST_TIMEOUT_SECONDS.default, 60, 120, REQUEST_TIMEOUT_SECONDS.max];

interface SettingsViewProps {
  readonly settings: Settings;
  readonly agent?: AgentInfo;
  readonly onChange: (settings: Settings) => void;
  readonly onClose: () => void;
  /** "Add a profile for it" after a CA was trusted in the local sandbox. */
  readonly onAddSandboxProfile: (trusted: SandboxTrustedCa) => void;
}


/** Preferences apply at once; there is nothing to save. */
export function SettingsView({ settings, agent, onChange, onClose, onAddSandboxProfile }: SettingsViewProps) {
  const shellId = useId();
  const timeoutId = useId();
  const timeoutChoices = TIMEOUT_CHOICES.includes(settings.requestTimeoutSeconds) ? TIMEOUT_CHOICES : [...TIMEOUT_CHOICES, settings.requestTimeoutSeconds].sort((a, b) => a - b);
  // The main window's banners sit behind this modal: show failures here.
  const [problem, setProblem] = useState<ProblemView>();
  const update = useAction('Settings', setProblem);
  const logs = useAction('Logs', setProblem);

  const change = async (patch: Partial<Settings>) => {
    onChange({ ...settings, ...patch });
    const saved = await update.run((api) => api.settings.set(patch));
    onChange(saved ?? settings);
  };

  return (
    <Dialog
      title="Settings"
      onClose={onClose}
      footer={
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="settings" aria-busy={update.busy || undefined}>
        {problem && <Banner kind="error" problem={problem} onDismiss={() => setProblem(undefined)} />}
        <label className="checkbox">
          <input type="checkbox" data-autofocus checked={settings.startAtLogin} onChange={(event) => void change({ startAtLogin: event.target.checked })} />
          <span>
            Start Rolecall at login
            <span className="choice-explanation">Sessions of active profiles are ready when you open a terminal.</span>
          </span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={settings.notifications} onChange={(event) => void change({ notifications: event.target.checked })} />
          <span>
            Notifications
            <span className="choice-explanation">Tell me when a session cannot be refreshed or a certificate is about to expire.</span>
          </span>
        </label>
        <label className="checkbox">
          <input type="checkbox" role="switch" checked={settings.renewWithSameKey === true} onChange={(event) => void change({ renewWithSameKey: event.target.checked })} />
          <span>
            Renew Rolecall-CA certificates with the same key
            <span className="choice-explanation">Off: each renewal makes a new key inside the keychain. On: the renewed certificate keeps the key it has.</span>
          </span>
        </label>
        <div className="field field-inline">
          <label htmlFor={shellId}>Copy environment for</label>
          <select id={shellId} value={settings.defaultShell} onChange={(event) => void change({ defaultShell: event.target.value as Shell })}>
            {SHELLS.map((shell) => (
              <option key={shell} value={shell}>
                {SHELL_LABEL[shell]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={timeoutId}>Give up on Roles Anywhere after</label>
          <select id={timeoutId} value={settings.requestTimeoutSeconds} onChange={(event) => void change({ requestTimeoutSeconds: Number(event.target.value) })}>
            {timeoutChoices.map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds} seconds
              </option>
            ))}
          </select>
        </div>
        <SandboxTrustSection onAddProfile={onAddSandboxProfile} onProblem={setProblem} />
        <div className="settings-footer">
          {agent && (
            <p className="muted">
              Agent {agent.version} · {agent.host === 'app' ? 'this app' : 'headless'} · pid {agent.pid}
              <br />
              <span className="mono path" title={agent.dataDir}>
                {agent.dataDir}
              </span>
            </p>
          )}
          <button type="button" className="button small" aria-busy={logs.busy || undefined} aria-disabled={logs.busy || undefined} onClick={() => void logs.run((api) => api.logs.openFolder({}))}>
            Open logs folder
          </button>
        </div>
      </div>
    </Dialog>
  );
}
