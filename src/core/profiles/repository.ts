// Rolecall's profiles and what it wrote into the AWS files for them, in one locked JSON document
// (<dataDir>/profiles.json). Every change is a read-modify-write under the store's cross-process lock,
// so the app, a headless agent and CLI commands never lose each other's writes.
import { join } from 'node:path';
import { z } from 'zod';
import { profileNameSchema } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { AwsDelivery, AwsFilePaths } from '../awsfiles';
import type { Logger } from '../log';
import { JsonDocument, type Migration } from '../store';
import { profileDefinitionSchema, type ProfileDefinition } from './definition';
import { unknownProfile } from './unknown-profile';

export const PROFILES_FILE_NAME = 'profiles.json';

const ownedEntriesSchema = z.object({ keys: z.array(z.string().min(1)), createdSection: z.boolean() });

export const deliveryRecordSchema = z.object({
  /** The AWS profile name the entries were written under. */
  name: profileNameSchema,
  /** The files as resolved when written: withdrawing goes back to them even if AWS_* variables changed since. */
  paths: z.object({ credentials: z.string().min(1), config: z.string().min(1) }),
  /** Exactly the keys Rolecall owns in each file and whether it created the section (what awsfiles removes). */
  owned: z.object({ credentials: ownedEntriesSchema.optional(), config: ownedEntriesSchema.optional() }),
});

export interface DeliveryRecord {
  readonly name: string;
  readonly paths: AwsFilePaths;
  readonly owned: AwsDelivery;
}

/** The user activated this profile and has not deactivated it: a starting agent resumes it. */
export const activationSchema = z.object({ name: profileNameSchema, since: z.string().optional() });

export const profilesContentSchema = z
  .object({
    profiles: z.array(profileDefinitionSchema),
    deliveries: z.array(deliveryRecordSchema),
    activations: z.array(activationSchema),
  })
  .superRefine((content, context) => {
    // Two entries under one name would make every lookup, rename and removal ambiguous.
    for (const key of ['profiles', 'deliveries', 'activations'] as const) {
      const seen = new Set<string>();
      content[key].forEach((entry, index) => {
        if (seen.has(entry.name)) context.addIssue({ code: 'custom', path: [key, index, 'name'], message: `a second entry named "${entry.name}"; remove one of them` });
        seen.add(entry.name);
      });
    }
  });

export type ProfilesContent = z.infer<typeof profilesContentSchema>;

/**
 * Version 1 did not record activations; every profile it had delivered was active (deactivating
 * withdraws the delivery and drops its record), so those are the activations to resume.
 */
const recordActivations: Migration = (previous) => {
  const names = (list: unknown): string[] => (Array.isArray(list) ? list.flatMap((item: { name?: unknown }) => (typeof item?.name === 'string' ? [item.name] : [])) : []);
  const profiles = new Set(names(previous.profiles));
  return { ...previous, activations: names(previous.deliveries).filter((name) => profiles.has(name)).map((name) => ({ name })) };
};
export type Activation = z.infer<typeof activationSchema>;

export interface ProfileRepositoryOptions {
  readonly dataDir: string;
  readonly logger?: Logger;
  readonly lockTimeoutMs?: number;
}

export class ProfileRepository {
  readonly path: string;
  private readonly document: JsonDocument<ProfilesContent>;

  constructor(options: ProfileRepositoryOptions) {
    this.path = join(options.dataDir, PROFILES_FILE_NAME);
    this.document = new JsonDocument({
      path: this.path,
      schema: profilesContentSchema,
      migrations: [recordActivations],
      defaultValue: () => ({ profiles: [], deliveries: [], activations: [] }),
      ...(options.logger && { logger: options.logger }),
      ...(options.lockTimeoutMs !== undefined && { lockTimeoutMs: options.lockTimeoutMs }),
    });
  }

  /** Profiles sorted by name. */
  async list(): Promise<ProfileDefinition[]> {
    const { profiles } = await this.document.read();
    return [...profiles].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<ProfileDefinition | undefined> {
    const { profiles } = await this.document.read();
    return profiles.find((profile) => profile.name === name);
  }

  /** The profile, or PROFILE_NOT_FOUND. */
  async require(name: string): Promise<ProfileDefinition> {
    const { profiles } = await this.document.read();
    const found = profiles.find((profile) => profile.name === name);
    if (!found) throw unknownProfile(name, profiles.map((profile) => profile.name));
    return found;
  }

  /** Stores a new profile; PROFILE_EXISTS when the name is taken (checked under the lock). */
  async add(definition: ProfileDefinition): Promise<ProfileDefinition> {
    await this.document.update((content) => {
      if (content.profiles.some((profile) => profile.name === definition.name)) throw new RolecallError('PROFILE_EXISTS', definition.name);
      return { ...content, profiles: [...content.profiles, definition] };
    });
    return definition;
  }

  /** Replaces a stored profile with `change(current)`, which must keep its name; PROFILE_NOT_FOUND when absent. */
  async put(name: string, change: (current: ProfileDefinition) => ProfileDefinition): Promise<ProfileDefinition> {
    let next: ProfileDefinition | undefined;
    await this.document.update((content) => {
      const current = content.profiles.find((profile) => profile.name === name);
      if (!current) throw unknownProfile(name, content.profiles.map((profile) => profile.name));
      next = change(current);
      if (next.name !== name) throw new RolecallError('INTERNAL', 'put cannot rename a profile');
      const updated = next;
      return { ...content, profiles: content.profiles.map((profile) => (profile.name === name ? updated : profile)) };
    });
    return next as ProfileDefinition;
  }

  /** Renames a profile, applying `change` too; PROFILE_NOT_FOUND or PROFILE_EXISTS as the case may be. */
  async rename(name: string, newName: string, change: (current: ProfileDefinition) => ProfileDefinition = (current) => current): Promise<ProfileDefinition> {
    let renamed: ProfileDefinition | undefined;
    await this.document.update((content) => {
      const current = content.profiles.find((profile) => profile.name === name);
      if (!current) throw unknownProfile(name, content.profiles.map((profile) => profile.name));
      if (content.profiles.some((profile) => profile.name === newName)) throw new RolecallError('PROFILE_EXISTS', newName);
      const next = { ...change(current), name: newName };
      renamed = next;
      return {
        ...content,
        profiles: content.profiles.map((profile) => (profile.name === name ? next : profile)),
        activations: content.activations.map((activation) => (activation.name === name ? { ...activation, name: newName } : activation)),
      };
    });
    return renamed as ProfileDefinition;
  }

  /** Removes the profile; the delivery record stays until what it names has been withdrawn. */
  async remove(name: string): Promise<boolean> {
    let removed = false;
    await this.document.update((content) => {
      removed = content.profiles.some((profile) => profile.name === name);
      return {
        ...content,
        profiles: content.profiles.filter((profile) => profile.name !== name),
        activations: content.activations.filter((activation) => activation.name !== name),
      };
    });
    return removed;
  }

  /** The profiles the user has activated and not deactivated, oldest first. */
  async activations(): Promise<Activation[]> {
    const { activations } = await this.document.read();
    return activations.map((activation) => ({ ...activation }));
  }

  /**
   * Records that the user wants `name` kept fresh (or no longer does). Written before the session work
   * starts, so an agent that dies mid-way still knows what to resume.
   */
  async setActivated(name: string, activated: boolean, at: Date): Promise<void> {
    await this.document.update((content) => {
      const present = content.activations.some((activation) => activation.name === name);
      if (present === activated) return content;
      if (activated && !content.profiles.some((profile) => profile.name === name)) throw unknownProfile(name, content.profiles.map((profile) => profile.name));
      return {
        ...content,
        activations: activated ? [...content.activations, { name, since: at.toISOString() }] : content.activations.filter((activation) => activation.name !== name),
      };
    });
  }

  async deliveries(): Promise<DeliveryRecord[]> {
    const { deliveries } = await this.document.read();
    return deliveries;
  }

  async getDelivery(name: string): Promise<DeliveryRecord | undefined> {
    const { deliveries } = await this.document.read();
    return deliveries.find((record) => record.name === name);
  }

  /**
   * Records what Rolecall owns for an AWS profile name now; a record owning nothing is dropped. `profile`
   * may change the profile of the same name in the same write (clearing its one-shot takeOver).
   */
  async recordDelivery(record: DeliveryRecord, profile?: (current: ProfileDefinition) => ProfileDefinition): Promise<void> {
    const owned = {
      ...(record.owned.credentials && { credentials: copyEntries(record.owned.credentials) }),
      ...(record.owned.config && { config: copyEntries(record.owned.config) }),
    };
    const keep = owned.credentials !== undefined || owned.config !== undefined;
    await this.document.update((content) => ({
      ...content,
      profiles: profile ? content.profiles.map((current) => (current.name === record.name ? profile(current) : current)) : content.profiles,
      deliveries: [
        ...content.deliveries.filter((existing) => existing.name !== record.name),
        ...(keep ? [{ name: record.name, paths: { credentials: record.paths.credentials, config: record.paths.config }, owned }] : []),
      ],
    }));
  }
}

function copyEntries(entries: { readonly keys: readonly string[]; readonly createdSection: boolean }): { keys: string[]; createdSection: boolean } {
  return { keys: [...entries.keys], createdSection: entries.createdSection };
}
