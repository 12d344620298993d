// Rolecall profiles: non-secret definitions in the JSON store, keys in the keychain (or the user's own
// file), drafts of picked certificates, and delivery of sessions through the AWS files.
export { deliveryModeSchema, keySourceSchema, profileDefinitionSchema, signingRegionOf } from './definition';
export type { DeliveryMode, KeySource, ProfileDefinition } from './definition';
export { PROFILES_FILE_NAME, ProfileRepository, deliveryRecordSchema, profilesContentSchema } from './repository';
export type { Activation, DeliveryRecord, ProfileRepositoryOptions, ProfilesContent } from './repository';
export { DRAFT_TTL_MS, DraftRegistry } from './drafts';
export type { DraftMaterial, DraftRegistryOptions, DraftSources } from './drafts';
export { ProfileDelivery, deliveredTo, profileFilePaths } from './delivery';
export type { ProfileDeliveryOptions } from './delivery';
export { ProfileManager } from './manager';
export type { AddProfileInput, EditProfileInput, ProfileChange, ProfileManagerOptions, ProfilePlacement, SigningMaterial } from './manager';
export { certificateState, toProfileView } from './view';
