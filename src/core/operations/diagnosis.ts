// Looking into a profile: why CreateSession fails for it, its session's timeline, the console signed in
// with its session, and the doctor's check of the agent and every profile.
import type { AwsFilePaths } from '../awsfiles';
import { consoleSignIn } from '../console';
import { explainProfile } from '../diagnosis/explain-profile';
import { doctorCheck } from '../doctor/profile-checks';
import { signingRegionOf } from '../profiles';
import type { SecretStore } from '../secrets';
import type { ProfileTimeline } from '../timeline';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export type DiagnosisOperation = 'profiles.explain' | 'timeline.get' | 'console.url' | 'doctor.check';

export interface DiagnosisOptions {
  readonly timeline: ProfileTimeline;
  readonly secrets: SecretStore;
  readonly awsPaths: AwsFilePaths;
}

export function diagnosisOperations(context: OperationContext, { timeline, secrets, awsPaths }: DiagnosisOptions): AgentHandlers<DiagnosisOperation> {
  const { directory, profiles, repository, sessions, clock, logger, transport, viewOf, awsCredentials } = context;
  return {
    async 'profiles.explain'({ name, using, caPath, policyPath }) {
      await directory.reload();
      const definition = directory.require(name);
      const state = sessions.state(name);
      return explainProfile(
        { name, ...(using && { using }), ...(caPath !== undefined && { caPath }), ...(policyPath !== undefined && { policyPath }) },
        {
          definition,
          checkKey: () => profiles.signingMaterial(name),
          credentials: awsCredentials,
          // Only a session the profile already holds: minting one here would repeat the failure being explained.
          ownSession: async () => (state.status === 'active' ? awsCredentials({ kind: 'rolecall', name }) : undefined),
          ...(state.lastError && { lastError: state.lastError }),
          transport,
          timeoutMs: await context.requestTimeoutMs(),
          now: () => clock.now(),
        },
      );
    },
    async 'timeline.get'({ name }) {
      directory.require(name);
      return { events: await timeline.events(name) };
    },
    async 'console.url'({ name, destination }) {
      const definition = directory.require(name);
      const credentials = await context.credentialsFor(name, 60);
      const signIn = await consoleSignIn(
        {
          credentials,
          region: definition.toolRegion ?? signingRegionOf(definition),
          ...(destination !== undefined && { destination }),
          ...(definition.endpoint !== undefined && { endpoint: definition.endpoint }),
        },
        { transport, timeoutMs: await context.requestTimeoutMs() },
      );
      logger.info('console sign-in URL made', { profile: name, destination: signIn.destination });
      return { url: signIn.url };
    },
    async 'doctor.check'() {
      const list = await directory.reload();
      return doctorCheck({
        info: context.info,
        now: clock.now(),
        secrets,
        repository,
        awsPaths,
        commandFor: (name) => profiles.delivery.commandFor(name),
        profiles: list.map((definition) => ({ definition, view: viewOf(definition) })),
      });
    },
  };
}
