export { applySetup, type AppliedSetup, type SetupStep } from './apply-setup';
export { awsCliScript, type ScriptOptions } from './aws-cli-script';
export { createSetupClients, type SetupClients } from './aws-clients';
export { trustAnchorSource, type CaSource, type RolecallCaCertificates, type TrustAnchorSource } from './ca-source';
export { cloudFormationTemplate, stackName, templateText, type TemplateFormat } from './cloudformation-template';
export { planSetup, roleTrustPolicy, SETUP_TAG_KEY, type SetupInput, type SetupPlan } from './plan';
export { SetupLedger, type CreatedResource, type SetupScope } from './setup-ledger';
export { DEFAULT_PINNED_TAGS, pinnedTags, trustPolicy, type PinnedTag, type TrustPolicy } from './trust-policy';
export { undoSetup } from './undo-setup';
