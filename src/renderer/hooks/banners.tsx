// Errors and notices shown above the list. Any component reports through useBanners(); the banner
// stack reads useBannerList(). Errors stay until dismissed (they carry the next step); notices fade.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ProblemView } from '../../shared/model';

export interface BannerItem {
  readonly id: number;
  readonly kind: 'error' | 'notice';
  /** The profile or action it is about ("demo", "Import"). */
  readonly subject?: string;
  readonly problem?: ProblemView;
  readonly text?: string;
}

interface BannerApi {
  showProblem(problem: ProblemView, subject?: string): void;
  showNotice(text: string): void;
}

interface BannerList {
  readonly banners: readonly BannerItem[];
  dismiss(id: number): void;
}

const NOTICE_MS = 5000;
const MAX_BANNERS = 4;

const BannerContext = createContext<BannerApi>({ showProblem: () => undefined, showNotice: () => undefined });
const BannerListContext = createContext<BannerList>({ banners: [], dismiss: () => undefined });

export const useBanners = (): BannerApi => useContext(BannerContext);
export const useBannerList = (): BannerList => useContext(BannerListContext);

const sameBanner = (a: Omit<BannerItem, 'id'>, b: Omit<BannerItem, 'id'>) =>
  a.kind === b.kind && a.subject === b.subject && a.text === b.text && a.problem?.code === b.problem?.code && a.problem?.detail === b.problem?.detail;

export function BannerProvider({ children }: { children: ReactNode }) {
  const [banners, setBanners] = useState<readonly BannerItem[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setBanners((items) => items.filter((item) => item.id !== id)), []);

  const api = useMemo<BannerApi>(() => {
    const push = (item: Omit<BannerItem, 'id'>) => {
      const id = nextId.current++;
      // The same failure twice (a retry loop, a double click) is one banner, moved to the top.
      setBanners((items) => [{ ...item, id }, ...items.filter((other) => !sameBanner(other, item))].slice(0, MAX_BANNERS));
      return id;
    };
    return {
      showProblem: (problem, subject) => void push({ kind: 'error', problem, subject }),
      showNotice: (text) => {
        const id = push({ kind: 'notice', text });
        window.setTimeout(() => dismiss(id), NOTICE_MS);
      },
    };
  }, [dismiss]);
  const list = useMemo(() => ({ banners, dismiss }), [banners, dismiss]);

  return (
    <BannerContext.Provider value={api}>
      <BannerListContext.Provider value={list}>{children}</BannerListContext.Provider>
    </BannerContext.Provider>
  );
}
