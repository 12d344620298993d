interface SwitchProps {
  readonly checked: boolean;
  readonly label: string;
  readonly busy?: boolean;
  readonly disabled?: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** An on/off toggle that screen readers announce as a switch. */
export function Switch({ checked, label, busy = false, disabled = false, onChange }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      className="switch"
      aria-checked={checked}
      aria-label={label}
      aria-busy={busy || undefined}
      // Busy stays focusable (a disabled button drops keyboard focus); clicks wait for the call.
      aria-disabled={busy || undefined}
      disabled={disabled}
      onClick={() => {
        if (!busy) onChange(!checked);
      }}
      data-col="switch"
    >
      <span className="switch-thumb" aria-hidden="true" />
    </button>
  );
}
