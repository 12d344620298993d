// Saving the profile editor's sheet: a new profile from certificate files or from a hardware token, or
// the changes to an existing one with its new name in the same one call, so a refused rename leaves the
// profile as it was rather than half saved.
import { useCallback, useRef, type ReactElement, type RefObject } from 'react';
import type { DraftView, ProblemView, ProfileView, ResourceNames } from '../../shared/model';
import { sameNames } from '../format/discovery-picks';
import { addInput, editInput, isEmptyEdit, type ProfileForm } from '../format/profile-form';
import { useTokenAdd, type TokenChoice } from '../components/TokenKeySource';
import { useAction } from './useAction';

export interface SaveRequest {
  readonly form: ProfileForm;
  /** The trust anchor's and profile's names, to show beside their ARNs. */
  readonly names: ResourceNames | undefined;
  /** Take over an AWS profile name that Rolecall did not write. */
  readonly force: boolean;
  readonly draft: DraftView | null;
  /** A new profile's key is on this token. */
  readonly token?: TokenChoice;
}

interface ProfileSaveOptions {
  /** Absent: the sheet adds a new profile. */
  readonly profile: ProfileView | undefined;
  readonly onSaved: (profile: ProfileView, previousName?: string) => void;
  readonly onProblem: (problem: ProblemView) => void;
  /** What the certificate section lists as refused, and that list, where a save refused for it points. */
  readonly listedProblems: readonly ProblemView[] | undefined;
}

export interface ProfileSave {
  readonly busy: boolean;
  readonly save: (request: SaveRequest) => Promise<void>;
  /** The token PIN prompt, while a token asks for its PIN. */
  readonly prompt: ReactElement | null;
  readonly certificateProblems: RefObject<HTMLUListElement | null>;
}

export function useProfileSave({ profile, onSaved, onProblem, listedProblems }: ProfileSaveOptions): ProfileSave {
  const certificateProblems = useRef<HTMLUListElement>(null);
  const onSaveProblem = useCallback(
    (next: ProblemView) => {
      // The certificate section already lists what Roles Anywhere refuses about this certificate: point
      // there instead of repeating it in a banner.
      if (listedProblems?.some((listed) => listed.code === next.code)) {
        certificateProblems.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
        certificateProblems.current?.focus({ preventScroll: true });
        return;
      }
      onProblem(next);
    },
    [listedProblems, onProblem],
  );
  const action = useAction(undefined, onSaveProblem);
  const tokenAdd = useTokenAdd(onProblem);

  const save = async ({ form, names, force, draft, token }: SaveRequest) => {
    if (!profile && token) {
      const { draftId: _unused, keyStorage: _files, ...input } = addInput(form, '', force);
      const added = await tokenAdd.add({ ...input, ...(names && { names }) }, token);
      if (added) onSaved(added);
      return;
    }
    if (!profile) {
      if (!draft) return;
      const added = await action.run((api) => api.profiles.add({ ...addInput(form, draft.draftId, force), ...(names && { names }) }));
      if (added) onSaved(added);
      return;
    }
    const changes = { ...editInput(profile, form, draft?.draftId, force), ...(!sameNames(names, profile.names) && { names: names ?? null }) };
    const saved = isEmptyEdit(changes) ? profile : await action.run((api) => api.profiles.edit(changes));
    if (saved) onSaved(saved, profile.name);
  };

  return { busy: action.busy || tokenAdd.busy, save, prompt: tokenAdd.prompt, certificateProblems };
}
