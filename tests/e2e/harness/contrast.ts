// WCAG contrast measured in the page, for tests that check every piece of text stays readable.

/** The little of the DOM page functions use (the test's TypeScript has no DOM library). */
export interface PageElement {
  readonly parentElement: PageElement | null;
  readonly childNodes: ArrayLike<{ readonly nodeType: number; readonly textContent: string | null }>;
  closest(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
export interface PageGlobals {
  getComputedStyle(element: PageElement): { readonly color: string; readonly backgroundColor: string };
}

/**
 * WCAG 2 contrast of every element that holds text of its own, against the first opaque background
 * behind it. Runs in the page: self-contained.
 */
export function contrastOfText(roots: PageElement[]): { text: string; ratio: number }[] {
  const TEXT_NODE = 3;
  const styleOf = (globalThis as unknown as PageGlobals).getComputedStyle;
  const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
    const linear = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const backgroundOf = (element: PageElement): number[] => {
    for (let node: PageElement | null = element; node; node = node.parentElement) {
      const color = channels(styleOf(node).backgroundColor);
      if (color.length === 3 || (color[3] ?? 0) >= 1) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const results: { text: string; ratio: number }[] = [];
  for (const root of roots) {
    for (const element of [root, ...Array.from(root.querySelectorAll('*'))]) {
      const own = Array.from(element.childNodes)
        .filter((node) => node.nodeType === TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim();
      if (!own || element.closest('.sr-only')) continue;
      const text = luminance(channels(styleOf(element).color));
      const behind = luminance(backgroundOf(element));
      results.push({ text: own, ratio: (Math.max(text, behind) + 0.05) / (Math.min(text, behind) + 0.05) });
    }
  }
  return results;
}
