// The profile editor's footer: Cancel, and the save button, which waits while the sheet shows an error
// (saving could only fail with it again) and says why.
import { useId } from 'react';

interface EditorFooterProps {
  /** The form the save button submits. */
  readonly formId: string;
  readonly editing: boolean;
  readonly showsError: boolean;
  readonly saving: boolean;
  /** A save or an unlock is under way: the button stays focusable but does nothing. */
  readonly waiting: boolean;
  readonly onCancel: () => void;
}

export function EditorFooter({ formId, editing, showsError, saving, waiting, onCancel }: EditorFooterProps) {
  const blockedNote = useId();
  return (
    <>
      {showsError && (
        <span id={blockedNote} className="footer-note">
          Fix what is marked above first.
        </span>
      )}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button primary" disabled={showsError} aria-describedby={showsError ? blockedNote : undefined} aria-busy={saving || undefined} aria-disabled={waiting || undefined}>
        {saving ? 'Saving…' : editing ? 'Save' : 'Add profile'}
      </button>
    </>
  );
}
