import { memo, useState } from 'react';
import type { ProfileView, Shell } from '../../shared/model';
import { SHELLS } from '../../shared/model';
import { abbreviateId, arnShortName } from '../format/arn';
import { SHELL_LABEL, SHELL_SHORT } from '../format/shell';
import { isSwitchedOn, isWorking } from '../format/status';
import { nextStep } from '../format/errors';
import { certificateWarning } from '../format/certificate-expiry';
import { withReadableDates } from '../format/time';
import { useAction } from '../hooks/useAction';
import { useBanners } from '../hooks/banners';
import { Countdown } from './Countdown';
import { ExplainDialog } from './ExplainDialog';
import { ChevronDownIcon, MoreIcon, RefreshIcon, WarningIcon } from './Icons';
import { Menu } from './Menu';
import { StatusBadge } from './StatusBadge';
import { Switch } from './Switch';
import { needsTokenPin, TokenPinDialog } from './TokenPinDialog';

export interface ProfileRowProps {
  readonly profile: ProfileView;
  readonly shell: Shell;
  readonly index: number;
  readonly count: number;
  /** Offset from the top of the list, in pixels (rows are virtualised). */
  readonly top: number;
  readonly onUpdated: (profile: ProfileView) => void;
  readonly onEdit: (profile: ProfileView) => void;
  /** Shows the profile's details and timeline. */
  readonly onOpen: (profile: ProfileView) => void;
  readonly onOpenConsole: (profile: ProfileView) => void;
  readonly onRemove: (profile: ProfileView) => void;
  readonly onShellChange: (shell: Shell) => void;
}

const DELIVERY_LABEL = { file: 'File', process: 'Process' } as const;

const moment = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function certificateTitle(profile: ProfileView, warning: string): string {
  const { notBefore, notAfter } = profile.certificate;
  return profile.certificateState === 'not-yet-valid'
    ? `${warning}: valid from ${moment.format(new Date(notBefore))}`
    : `${warning}: valid until ${moment.format(new Date(notAfter))}`;
}

function deliveryTitle(profile: ProfileView): string {
  return profile.delivery === 'file'
    ? `Credentials written to [${profile.name}] in ${profile.deliveredTo}`
    : `credential_process in [profile ${profile.name}] of ${profile.deliveredTo}`;
}

/** The resource by the name saved when it was picked; its ID (abbreviated) only when it has none. */
function ArnPart({ label, arn, id, name }: { label: string; arn: string; id: boolean; name?: string }) {
  const short = arnShortName(arn);
  const shown = name ?? (id ? abbreviateId(short) : short);
  return (
    <span className="arn-part" title={`${label} ${name ?? short}\n${arn}`}>
      <span className="arn-label">{label}</span> {shown}
    </span>
  );
}

/** The name, status, certificate warning and, below, the resources by name or the error. */
function RowSummary({ profile, onOpen }: { profile: ProfileView; onOpen: (profile: ProfileView) => void }) {
  const { name } = profile;
  const warning = certificateWarning(profile.certificateState, profile.certificate, Date.now());
  const error = profile.status === 'failed' || profile.status === 'expired' ? profile.lastError : undefined;
  // The row has room for the message; the detail ("HTTP 403 AccessDeniedException") and next step are in its tooltip.
  const errorTitle = error && [error.message, error.detail && withReadableDates(error.detail, Date.now()), nextStep(error)].filter(Boolean).join(' ');
  return (
    <div className="cell cell-main">
      <div className="row-line">
        <button type="button" className="profile-name" title={`Details of ${name}`} aria-label={`Details of ${name}`} onClick={() => onOpen(profile)} data-col="name">
          {name}
        </button>
        <StatusBadge profile={profile} />
        {warning && (
          <span className={`chip chip-${profile.certificateState === 'expiring' ? 'warn' : 'bad'}`} title={certificateTitle(profile, warning)}>
            <WarningIcon />
            <span className="chip-text">{warning}</span>
          </span>
        )}
      </div>
      <div className="row-line row-sub">
        {error ? (
          <span className="row-error" title={errorTitle}>
            {error.message}
          </span>
        ) : (
          <>
            <ArnPart label="anchor" arn={profile.trustAnchorArn} id name={profile.names?.trustAnchor} />
            <ArnPart label="profile" arn={profile.profileArn} id name={profile.names?.profile} />
            <ArnPart label="role" arn={profile.roleArn} id={false} />
          </>
        )}
      </div>
    </div>
  );
}

/** "Copy zsh env" and, beside it, the menu that copies for another shell (and makes it the default). */
function CopyEnvButton({ name, shell, onShellChange }: { name: string; shell: Shell; onShellChange: (shell: Shell) => void }) {
  const copy = useAction(name);
  const { showNotice } = useBanners();
  const copyEnv = async (as: Shell) => {
    const result = await copy.run((api) => api.env.copy({ name, shell: as }));
    if (!result) return;
    const seconds = Math.max(1, Math.round((Date.parse(result.clearsAt) - Date.now()) / 1000));
    showNotice(`Copied ${SHELL_LABEL[as]} exports for ${name}. Rolecall clears the clipboard in ${seconds} s unless you copy something else.`);
  };
  return (
    <div className="split-button">
      <button
        type="button"
        className="button small"
        aria-label={`Copy ${SHELL_SHORT[shell]} environment exports for ${name}`}
        title={`Copy the export commands of ${name}'s session for ${SHELL_LABEL[shell]} (the clipboard is cleared after 60 s)`}
        aria-busy={copy.busy || undefined}
        aria-disabled={copy.busy || undefined}
        onClick={() => void copyEnv(shell)}
        data-col="copy"
      >
        <span className="copy-label">
          Copy <span className="shell-name">{SHELL_SHORT[shell]}</span> env
        </span>
      </button>
      <Menu
        label={`Copy ${name} for another shell`}
        title="Choose shell"
        className="button small split-toggle"
        column="shell"
        heading="Copy for"
        items={SHELLS.map((option) => ({
          label: SHELL_LABEL[option],
          checked: option === shell,
          onSelect: () => {
            onShellChange(option);
            void copyEnv(option);
          },
        }))}
      >
        <ChevronDownIcon />
      </Menu>
    </div>
  );
}

function ProfileRowView({ profile, shell, index, count, top, onUpdated, onEdit, onOpen, onOpenConsole, onRemove, onShellChange }: ProfileRowProps) {
  const { name } = profile;
  const [explaining, setExplaining] = useState(false);
  const [askingPin, setAskingPin] = useState(false);
  const toggle = useAction(name);
  const refresh = useAction(name);
  const [pendingSwitch, setPendingSwitch] = useState<boolean | null>(null);
  const switchedOn = pendingSwitch ?? isSwitchedOn(profile.status);

  const setActive = async (on: boolean) => {
    setPendingSwitch(on);
    const view = await toggle.run((api) => (on ? api.sessions.activate({ name }) : api.sessions.deactivate({ name })));
    setPendingSwitch(null);
    if (view) onUpdated(view);
  };
  const refreshNow = async () => {
    const view = await refresh.run((api) => api.sessions.refresh({ name }));
    if (view) onUpdated(view);
  };

  return (
    <div
      role="listitem"
      aria-setsize={count}
      aria-posinset={index + 1}
      aria-label={name}
      className={`row status-row-${profile.status}`}
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div className="cell cell-switch">
        <Switch
          checked={switchedOn}
          label={`Activate ${name}`}
          busy={toggle.busy || profile.status === 'activating'}
          onChange={(on) => void setActive(on)}
        />
      </div>
      <RowSummary profile={profile} onOpen={onOpen} />
      <div className="cell cell-region" title={profile.toolRegion ? `Signing in ${profile.signingRegion}; tools use ${profile.toolRegion}` : `Signing in ${profile.signingRegion}`}>
        {profile.signingRegion}
      </div>
      <div className="cell cell-delivery" title={deliveryTitle(profile)}>
        {DELIVERY_LABEL[profile.delivery]}
      </div>
      <div className="cell cell-time">
        <Countdown profile={profile} />
      </div>
      <div className="cell cell-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Refresh ${name} now`}
          title="Refresh now"
          aria-busy={refresh.busy || profile.status === 'refreshing' || undefined}
          aria-disabled={refresh.busy || isWorking(profile.status) || undefined}
          disabled={!isSwitchedOn(profile.status)}
          onClick={() => {
            if (!isWorking(profile.status)) void refreshNow();
          }}
          data-col="refresh"
        >
          <RefreshIcon />
        </button>
        <CopyEnvButton name={name} shell={shell} onShellChange={onShellChange} />
        <Menu
          label={`More actions for ${name}`}
          column="more"
          items={[
            ...(needsTokenPin(profile) ? [{ label: 'Enter token PIN…', onSelect: () => setAskingPin(true) }] : []),
            ...(profile.lastError ? [{ label: 'Why?', onSelect: () => setExplaining(true) }] : []),
            { label: 'Details…', onSelect: () => onOpen(profile) },
            { label: 'Open AWS console', onSelect: () => onOpenConsole(profile) },
            { label: 'Edit…', onSelect: () => onEdit(profile), separated: true },
            { label: 'Remove…', danger: true, separated: true, onSelect: () => onRemove(profile) },
          ]}
        >
          <MoreIcon />
        </Menu>
        {explaining && <ExplainDialog name={name} onClose={() => setExplaining(false)} />}
        {askingPin && <TokenPinDialog profile={profile} onClose={() => setAskingPin(false)} onUpdated={onUpdated} />}
      </div>
    </div>
  );
}

export const ProfileRow = memo(ProfileRowView);
