// A menu button (WAI-ARIA menu pattern). The menu is portalled to <body> with fixed positioning:
// virtualised rows are transformed, which would otherwise clip and offset it.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  readonly label: string;
  readonly onSelect: () => void;
  readonly danger?: boolean;
  /** Makes it a radio item (menuitemradio) with this state. */
  readonly checked?: boolean;
  /** Draw a separator above this item. */
  readonly separated?: boolean;
}

interface MenuProps {
  readonly label: string;
  readonly items: readonly MenuItem[];
  readonly children: ReactNode;
  readonly className?: string;
  readonly title?: string;
  /** Marks the trigger for row keyboard navigation. */
  readonly column?: string;
  /** A short heading inside the menu ("Copy as"). */
  readonly heading?: string;
}

interface Position {
  readonly top: number;
  readonly right: number;
}

export function Menu({ label, items, children, className = 'icon-button', title, column, heading }: MenuProps) {
  const [position, setPosition] = useState<Position | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const open = position !== null;

  const show = () => {
    const rect = trigger.current?.getBoundingClientRect();
    if (rect) setPosition({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) });
  };
  const close = useCallback((refocus: boolean) => {
    setPosition(null);
    if (refocus) trigger.current?.focus();
  }, []);

  const itemButtons = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]') ?? [])];

  useLayoutEffect(() => {
    if (!open || !menu.current) return;
    // Keep the menu on screen when the row sits at the bottom of the window.
    const box = menu.current.getBoundingClientRect();
    if (box.bottom > window.innerHeight - 8 && trigger.current) {
      const rect = trigger.current.getBoundingClientRect();
      menu.current.style.top = `${Math.max(8, rect.top - box.height - 4)}px`;
    }
    const buttons = itemButtons();
    (buttons.find((button) => button.getAttribute('aria-checked') === 'true') ?? buttons[0])?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !trigger.current?.contains(target)) close(false);
    };
    const onMove = (event: Event) => {
      if (!menu.current?.contains(event.target as Node)) close(false);
    };
    const onBlur = () => close(false);
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onBlur);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onBlur);
      window.removeEventListener('blur', onBlur);
    };
  }, [open, close]);

  const onMenuKey = (event: KeyboardEvent) => {
    const buttons = itemButtons();
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const focusAt = (i: number) => buttons[(i + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(buttons.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        // Back on the trigger before the browser moves focus on: Tab then goes to the control after
        // it (Shift+Tab before it), not past the end of the page where the menu is portalled.
        close(true);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const onTriggerKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && !open) {
      event.preventDefault();
      event.stopPropagation();
      show();
    }
  };

  return (
    <>
      <button
        ref={trigger}
        type="button"
        className={className}
        aria-label={label}
        title={title ?? label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-col={column}
        onClick={() => (open ? close(false) : show())}
        onKeyDown={onTriggerKey}
      >
        {children}
      </button>
      {open &&
        createPortal(
          <div ref={menu} id={menuId} role="menu" aria-label={label} className="menu" style={{ top: position.top, right: position.right }} onKeyDown={onMenuKey}>
            {heading && (
              <div className="menu-heading" aria-hidden="true">
                {heading}
              </div>
            )}
            {items.map((item) => (
              <button
                key={item.label}
                type="button"
                role={item.checked === undefined ? 'menuitem' : 'menuitemradio'}
                aria-checked={item.checked}
                tabIndex={-1}
                className={['menu-item', item.danger ? 'danger' : '', item.separated ? 'separated' : ''].filter(Boolean).join(' ')}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                <span className="menu-check" aria-hidden="true">
                  {item.checked ? '✓' : ''}
                </span>
                {item.label}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
