// The profile definitions the agent keeps in memory: the session engine asks for regions and
// auto-refresh synchronously, so it cannot read the store each time. Also remembers why the store could
// not be read, so that every operation needing it answers with that error until a read succeeds.
import { isRolecallError, type RolecallError } from '../../shared/errors';
import type { ProfileDefinition, ProfileManager } from '../profiles';
import { unknownProfile } from '../profiles/unknown-profile';

export class ProfileDirectory {
  private readonly definitions = new Map<string, ProfileDefinition>();
  private readonly profiles: ProfileManager;
  private readonly onFirstRead: () => Promise<void>;
  private firstReadDone = false;
  /** Why the profile store could not be read, until a read succeeds again. */
  private storeProblem: RolecallError | undefined;

  /** `onFirstRead` runs once, after the first read that succeeds (an agent may start on a broken store). */
  constructor(profiles: ProfileManager, onFirstRead: () => Promise<void>) {
    this.profiles = profiles;
    this.onFirstRead = onFirstRead;
  }

  /** Reads the store again; throws its error while it cannot be read. */
  async reload(): Promise<ProfileDefinition[]> {
    let list: ProfileDefinition[];
    try {
      list = await this.profiles.list();
    } catch (error) {
      if (isRolecallError(error) && error.code.startsWith('STORE_')) this.storeProblem = error;
      throw error;
    }
    this.storeProblem = undefined;
    this.definitions.clear();
    for (const definition of list) this.definitions.set(definition.name, definition);
    if (!this.firstReadDone) {
      this.firstReadDone = true;
      await this.onFirstRead();
    }
    return list;
  }

  /** While the store is unreadable, tries it again: a repaired file is picked up at once. */
  async retryIfUnreadable(): Promise<void> {
    if (this.storeProblem) await this.reload();
  }

  /** The definition of `name`, or PROFILE_NOT_FOUND naming the profiles there are. */
  require(name: string): ProfileDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw unknownProfile(name, this.definitions.keys());
    return definition;
  }

  get(name: string): ProfileDefinition | undefined {
    return this.definitions.get(name);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  set(definition: ProfileDefinition): void {
    this.definitions.set(definition.name, definition);
  }

  delete(name: string): void {
    this.definitions.delete(name);
  }
}
