import { ImportIcon, KeyIcon, SandboxIcon } from './Icons';

interface EmptyStateProps {
  readonly onImport: () => void;
  readonly onSandbox: () => void;
  readonly onAdd: () => void;
  readonly onSetup: () => void;
  readonly sandboxBusy: boolean;
}

/** The first screen: three ways to get going without reading anything first. */
export function EmptyState({ onImport, onSandbox, onAdd, onSetup, sandboxBusy }: EmptyStateProps) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h1 id="empty-title">Sign in to AWS with your certificate</h1>
      <p className="empty-lead">
        Rolecall keeps IAM Roles Anywhere sessions fresh for your terminal and tools, with the private key kept in your keychain.
      </p>
      <div className="empty-actions">
        <button type="button" className="action-card" onClick={onImport}>
          <span className="action-icon">
            <ImportIcon />
          </span>
          <span className="action-title">Import from ~/.aws/config</span>
          <span className="action-text">Take over the aws_signing_helper lines you already use. You see every change before it is made.</span>
        </button>
        <button type="button" className="action-card" onClick={onSandbox} aria-busy={sandboxBusy || undefined} aria-disabled={sandboxBusy || undefined}>
          <span className="action-icon">
            <SandboxIcon />
          </span>
          <span className="action-title">{sandboxBusy ? 'Starting the sandbox…' : 'Try it with a local sandbox'}</span>
          <span className="action-text">A demo CA and a stand-in for Roles Anywhere on this computer. Nothing reaches AWS.</span>
        </button>
        <button type="button" className="action-card" onClick={onSetup}>
          <span className="action-icon">
            <KeyIcon />
          </span>
          <span className="action-title">Set up Roles Anywhere</span>
          <span className="action-text">No certificate yet? A key in your keychain, a certificate, and the AWS side written or created for you.</span>
        </button>
      </div>
      <p className="empty-footer">
        Have a certificate and ARNs at hand?{' '}
        <button type="button" className="link-button" onClick={onAdd}>
          Add a profile by hand
        </button>
      </p>
    </section>
  );
}
