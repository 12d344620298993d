// View models that may leave the agent: to the renderer, over the agent socket, into CLI output.
// Plain serialisable data only (no Node types, dates as ISO 8601 strings) and never key material.
// Each type is derived from its zod schema in view-schemas.ts (the fields are documented there); this
// module imports them as types only, so its constants load without zod.
import type { z } from 'zod';
import type * as views from './view-schemas';

export type Shell = 'bash' | 'zsh' | 'fish' | 'powershell' | 'cmd';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish', 'powershell', 'cmd'];

/** Bounds of `requestTimeoutSeconds`; the default is also drop-in `credential-process`'s deadline. */
export const REQUEST_TIMEOUT_SECONDS = { default: 30, min: 1, max: 300 } as const;

export type SubjectAlternativeNames = z.output<typeof views.subjectAlternativeNamesSchema>;
export type CertificateSummary = z.output<typeof views.certificateSummarySchema>;
export type ProfileStatus = z.output<typeof views.profileStatusSchema>;
export type DeliveryMode = z.output<typeof views.deliveryModeSchema>;
export type KeyStorage = z.output<typeof views.keyStorageViewSchema>;
export type CertificateState = z.output<typeof views.certificateStateSchema>;
/** An error as the agent reports it (see errors.ts); repeated here so view models stay self-contained. */
export type ProblemView = z.output<typeof views.problemViewSchema>;
/** One profile as every client sees it: definition, certificate and live session state. No secret. */
export type ProfileView = z.output<typeof views.profileViewSchema>;
export type TokenKeyView = z.output<typeof views.tokenKeyViewSchema>;
export type TokenListing = z.output<typeof views.tokenListingSchema>;
export type DraftView = z.output<typeof views.draftViewSchema>;
export type Settings = z.output<typeof views.settingsSchema>;
export type CertificateRenewalView = z.output<typeof views.certificateRenewalViewSchema>;
export type AgentInfo = z.output<typeof views.agentInfoSchema>;
export type KeychainReach = z.output<typeof views.keychainReachSchema>;
export type DoctorStatus = z.output<typeof views.doctorStatusSchema>;
export type DoctorFinding = z.output<typeof views.doctorFindingSchema>;
export type DoctorReport = z.output<typeof views.doctorReportSchema>;
export type AppState = z.output<typeof views.appStateSchema>;
export type ImportCandidate = z.output<typeof views.importCandidateSchema>;
export type ImportPlan = z.output<typeof views.importPlanSchema>;
export type ImportResult = z.output<typeof views.importResultSchema>;
export type DiscoveredTrustAnchor = z.output<typeof views.discoveredTrustAnchorSchema>;
export type AnchorCertificate = z.output<typeof views.anchorCertificateSchema>;
export type DiscoveredProfile = z.output<typeof views.discoveredProfileSchema>;
export type Discovery = z.output<typeof views.discoverySchema>;
export type DemoSandboxInfo = z.output<typeof views.demoSandboxInfoSchema>;
export type SandboxTrustedCa = z.output<typeof views.sandboxTrustedCaSchema>;
export type ResourceNames = z.output<typeof views.resourceNamesViewSchema>;
export type TimelineEventKind = z.output<typeof views.timelineEventKindSchema>;
export type TimelineEvent = z.output<typeof views.timelineEventSchema>;
export type CertificateRequestView = z.output<typeof views.certificateRequestViewSchema>;
export type LocalCaView = z.output<typeof views.localCaViewSchema>;
export type SetupPreview = z.output<typeof views.setupPreviewSchema>;
export type SetupText = z.output<typeof views.setupTextSchema>;
export type SetupResult = z.output<typeof views.setupResultSchema>;
export type ExplainCheck = z.output<typeof views.explainCheckSchema>;
export type Explanation = z.output<typeof views.explanationSchema>;
