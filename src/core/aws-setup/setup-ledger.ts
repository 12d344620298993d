// What each setup created, kept in Rolecall's data folder (ARNs and names only, nothing secret) so
// `rolecall setup aws --undo` removes exactly that and nothing it found already there. A resource is
// recorded the moment AWS answers its creation, so a run cut short midway still leaves its record.
import { join } from 'node:path';
import { z } from 'zod';
import { JsonDocument } from '../store';

export const SETUP_LEDGER_FILE_NAME = 'aws-setups.json';

const createdSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trust-anchor'), arn: z.string(), id: z.string(), name: z.string() }),
  z.object({ kind: z.literal('role'), arn: z.string(), name: z.string() }),
  z.object({ kind: z.literal('role-policy'), roleName: z.string(), policyArn: z.string() }),
  z.object({ kind: z.literal('profile'), arn: z.string(), id: z.string(), name: z.string() }),
]);

export type CreatedResource = z.infer<typeof createdSchema>;

const setupSchema = z.object({
  name: z.string(),
  region: z.string(),
  endpoint: z.string().optional(),
  /** In the order of creation: undo goes backwards. */
  created: z.array(createdSchema),
});

export type SetupRecord = z.infer<typeof setupSchema>;

const contentSchema = z.object({ setups: z.array(setupSchema) });

/** Which account a setup ran against, as far as Rolecall can tell without asking AWS. */
export interface SetupScope {
  readonly name: string;
  readonly region: string;
  readonly endpoint?: string;
}

export class SetupLedger {
  private readonly document: JsonDocument<z.infer<typeof contentSchema>>;

  constructor(dataDir: string) {
    this.document = new JsonDocument({ path: join(dataDir, SETUP_LEDGER_FILE_NAME), schema: contentSchema, defaultValue: () => ({ setups: [] }) });
  }

  async created(scope: SetupScope): Promise<readonly CreatedResource[]> {
    const { setups } = await this.document.read();
    return setups.find((setup) => sameScope(setup, scope))?.created ?? [];
  }

  async record(scope: SetupScope, resource: CreatedResource): Promise<void> {
    await this.document.update(({ setups }) => {
      const existing = setups.find((setup) => sameScope(setup, scope));
      const record: SetupRecord = existing ?? { name: scope.name, region: scope.region, ...(scope.endpoint === undefined ? {} : { endpoint: scope.endpoint }), created: [] };
      record.created.push(resource);
      return { setups: existing ? setups : [...setups, record] };
    });
  }

  /** Forgets a resource once it is gone; the setup's record goes with its last resource. */
  async forget(scope: SetupScope, resource: CreatedResource): Promise<void> {
    await this.document.update(({ setups }) => ({
      setups: setups
        .map((setup) => (sameScope(setup, scope) ? { ...setup, created: setup.created.filter((entry) => !sameResource(entry, resource)) } : setup))
        .filter((setup) => setup.created.length > 0),
    }));
  }
}

function sameScope(record: SetupRecord, scope: SetupScope): boolean {
  return record.name === scope.name && record.region === scope.region && record.endpoint === scope.endpoint;
}

function sameResource(a: CreatedResource, b: CreatedResource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
