// Text a row cuts off. Runs in the page (evaluateAll): Playwright sends the function's source, so it
// uses nothing from outside itself.

export interface ClippedText {
  /** The element's whole text. */
  readonly text: string;
  /** The tooltip that holds it, if the element or one of its ancestors in the row has one. */
  readonly title: string;
}

interface Box {
  readonly left: number;
  readonly right: number;
}

/** The little of the DOM this uses (the test's TypeScript has no DOM library). */
export interface ClipElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly title: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<{ readonly nodeType: number; readonly textContent: string | null }>;
  readonly parentElement: ClipElement | null;
  querySelectorAll(selector: string): ArrayLike<ClipElement>;
  getBoundingClientRect(): Box;
}

interface ClipGlobals {
  readonly document: { createRange(): { selectNodeContents(node: ClipElement): void; getBoundingClientRect(): Box } };
  getComputedStyle(element: ClipElement): { readonly overflowX: string };
}

/**
 * Every element with text of its own whose text does not fit: wider than its own box (an ellipsis), or
 * reaching past an ancestor in the row that clips what overflows it (a fixed-width button).
 */
export function clippedTextIn(rows: ClipElement[]): ClippedText[] {
  const page = globalThis as unknown as ClipGlobals;
  const clipped: ClippedText[] = [];
  for (const row of rows) {
    for (const element of Array.from(row.querySelectorAll('*'))) {
      const ownText = Array.from(element.childNodes).some((node) => node.nodeType === 3 && (node.textContent ?? '').trim() !== '');
      if (!ownText) continue;
      const range = page.document.createRange();
      range.selectNodeContents(element);
      const text = range.getBoundingClientRect();
      let cut = element.scrollWidth > element.clientWidth + 1;
      for (let node: ClipElement | null = element; node && !cut; node = node === row ? null : node.parentElement) {
        if (page.getComputedStyle(node).overflowX === 'visible') continue;
        const box = node.getBoundingClientRect();
        cut = text.right > box.right + 1 || text.left < box.left - 1;
      }
      if (!cut) continue;
      let title = '';
      for (let node: ClipElement | null = element; node && !title; node = node === row ? null : node.parentElement) title = node.title;
      clipped.push({ text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(), title });
    }
  }
  return clipped;
}

/** The little of a form field this uses. */
export interface ClipField {
  readonly value: string;
  readonly title: string;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

/** Every input or text area whose value does not fit its box (scrolled sideways or past its last line). */
export function clippedFieldsIn(fields: ClipField[]): ClippedText[] {
  return fields
    .filter((field) => field.scrollWidth > field.clientWidth + 1 || field.scrollHeight > field.clientHeight + 1)
    .map((field) => ({ text: field.value, title: field.title }));
}
