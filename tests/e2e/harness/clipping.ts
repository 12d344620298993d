// Text a row cuts off. Runs in the page (evaluateAll): Playwright sends the function's source, so it
// uses nothing from outside itself.
export interface ClippedText {
  /** The element's whole text. */
  readonly text: string;
  /** The tooltip that holds it, if the element or one of its ancestors in the row has one. */
  readonly title: string;
}

/** The little of the DOM this uses (the test's TypeScript has no DOM library). */
export interface ClipElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly title: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<{ readonly nodeType: number; readonly textContent: string | null }>;
  querySelectorAll(selector: string): ArrayLike<ClipElement>;
  readonly parentElement: ClipElement | null;
}

/** Every element with text of its own whose content is wider than its box, in these rows. */
export function clippedTextIn(rows: ClipElement[]): ClippedText[] {
  const clipped: ClippedText[] = [];
  for (const row of rows) {
    for (const element of Array.from(row.querySelectorAll('*'))) {
      const ownText = Array.from(element.childNodes).some((node) => node.nodeType === 3 && (node.textContent ?? '').trim() !== '');
      if (!ownText || element.scrollWidth <= element.clientWidth + 1) continue;
      let title = '';
      for (let node: ClipElement | null = element; node && !title; node = node === row ? null : node.parentElement) title = node.title;
      clipped.push({ text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(), title });
    }
  }
  return clipped;
}
