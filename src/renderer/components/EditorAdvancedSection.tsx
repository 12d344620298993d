// The profile editor's "Advanced" section: the signing region and endpoint, which most profiles take
// from the trust anchor. It starts open when either is set or has a problem to show.
import { useRef } from 'react';
import { regionOfArn } from '../format/arn';
import type { ProfileFormState } from '../hooks/useProfileForm';
import { TextField } from './Fields';

export function EditorAdvancedSection({ fields }: { readonly fields: ProfileFormState }) {
  const { form, visible } = fields;
  // Opened by a click at the bottom of the sheet, the section would unfold below the fold.
  const clicked = useRef(false);
  const open = form.signingRegion !== '' || form.endpoint !== '' || Boolean(visible('signingRegion') || visible('endpoint'));
  return (
    <details
      className="editor-section advanced"
      open={open}
      onToggle={(event) => {
        const details = event.currentTarget;
        if (details.open && clicked.current) details.scrollIntoView({ block: 'nearest' });
        clicked.current = false;
      }}
    >
      <summary
        onClick={() => {
          clicked.current = true;
        }}
      >
        Advanced
      </summary>
      <div className="field-grid">
        <TextField
          label="Signing region"
          {...fields.field('signingRegion')}
          hint={fields.hints.signingRegion}
          placeholder={regionOfArn(form.trustAnchorArn) ?? 'from the trust anchor'}
          note="Roles Anywhere's region; taken from the trust anchor ARN unless set."
          spellCheck={false}
        />
        <TextField
          label="Endpoint"
          {...fields.field('endpoint')}
          placeholder="https://rolesanywhere.REGION.amazonaws.com"
          note="For VPC endpoints or a local sandbox."
          spellCheck={false}
          className="field-wide"
        />
      </div>
    </details>
  );
}
