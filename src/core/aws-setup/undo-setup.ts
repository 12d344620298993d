// Removes what a setup recorded as created, newest first (profile, policy attachments, role, trust
// anchor), and nothing else: resources the setup found already there are not in the ledger. Each one
// leaves the ledger as it goes, so an undo cut short can be run again.
import { DeleteRoleCommand, DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { DeleteProfileCommand, DeleteTrustAnchorCommand } from '@aws-sdk/client-rolesanywhere';
import { RolecallError } from '../../shared/errors';
import type { SetupClients } from './aws-clients';
import { isNotFound, setupError } from './setup-errors';
import type { CreatedResource, SetupLedger, SetupScope } from './setup-ledger';

export interface UndoDeps {
  readonly clients: SetupClients;
  readonly ledger: SetupLedger;
  readonly scope: SetupScope;
  readonly onRemoved?: (resource: CreatedResource) => void;
}

export async function undoSetup(deps: UndoDeps): Promise<readonly CreatedResource[]> {
  const created = await deps.ledger.created(deps.scope);
  if (created.length === 0) throw new RolecallError('SETUP_NOTHING_TO_UNDO', `setup "${deps.scope.name}" in ${deps.scope.region}`);
  const removed: CreatedResource[] = [];
  for (const resource of [...created].reverse()) {
    try {
      await remove(resource, deps.clients);
    } catch (error) {
      if (!isNotFound(error)) throw setupError(error, actionOf(resource));
    }
    await deps.ledger.forget(deps.scope, resource);
    removed.push(resource);
    deps.onRemoved?.(resource);
  }
  return removed;
}

async function remove(resource: CreatedResource, clients: SetupClients): Promise<void> {
  switch (resource.kind) {
    case 'profile':
      await clients.rolesAnywhere.send(new DeleteProfileCommand({ profileId: resource.id }));
      return;
    case 'role-policy':
      await clients.iam.send(new DetachRolePolicyCommand({ RoleName: resource.roleName, PolicyArn: resource.policyArn }));
      return;
    case 'role':
      await clients.iam.send(new DeleteRoleCommand({ RoleName: resource.name }));
      return;
    case 'trust-anchor':
      await clients.rolesAnywhere.send(new DeleteTrustAnchorCommand({ trustAnchorId: resource.id }));
  }
}

function actionOf(resource: CreatedResource): string {
  return { profile: 'rolesanywhere:DeleteProfile', 'role-policy': 'iam:DetachRolePolicy', role: 'iam:DeleteRole', 'trust-anchor': 'rolesanywhere:DeleteTrustAnchor' }[resource.kind];
}
