// A modal on the native <dialog>: focus trap, Escape and inert background come from the browser.
// Mounted means open; the parent closes it by unmounting, which is why focus goes back to the opener
// here: the browser restores it only for a dialog closed while still in the document.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { CloseIcon } from './Icons';

interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
  /** 'sheet' slides in from the right for long forms; 'small' is a centred box. */
  readonly variant?: 'sheet' | 'small' | 'medium';
  readonly description?: string;
}

export function Dialog({ title, onClose, children, footer, variant = 'small', description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // React's autoFocus runs while the dialog is still closed (unfocusable): children mark their
      // first field with data-autofocus instead, else the browser picks the first control.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      dialog?.close();
      // An opener that went away with what the dialog did (a removed or renamed row) leaves focus to
      // whoever knows where it belongs next.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${variant}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        // React passes the event on to a dialog this one was opened from, which must stay open.
        event.stopPropagation();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" title="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="dialog-body">
        {description && (
          <p id={descriptionId} className="dialog-description">
            {description}
          </p>
        )}
        {children}
      </div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>
  );
}

interface ConfirmProps {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** A yes/no question for destructive actions; Cancel has the focus so Enter does no harm. */
export function ConfirmDialog({ title, message, confirmLabel, busy = false, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      description={message}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button danger" aria-busy={busy || undefined} aria-disabled={busy || undefined} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {null}
    </Dialog>
  );
}
