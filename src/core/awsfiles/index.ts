// ~/.aws/credentials and ~/.aws/config: lossless editing, locked and checked writes, and the two ways
// Rolecall delivers credentials through them.
export { IniDocument, exactSection } from './ini';
export type { Eol, EditScope, SectionLine, SectionRef } from './ini';
export { assertKeepsForeignLines } from './foreign-lines';
export { profileSection } from './profile-section';
export type { AwsFileKind } from './profile-section';
export { awsFilePaths } from './paths';
export type { AwsFilePaths } from './paths';
export { readAwsFile, updateAwsFile } from './write';
export { readFileState, restoreFileState } from './file-state';
export type { FileState } from './file-state';
export { decodeTakenLines, encodeTakenLines, giveBackLines, takeOver } from './taken-lines';
export type { GiveBack, TakenLine, TakenLines } from './taken-lines';
export type { UpdateOptions } from './write';
export { credentialProcessCommand, quoteCommandLine } from './command-line';
export {
  CREDENTIAL_KEYS,
  FILE_DELIVERY_KEYS,
  foreignCredentials,
  removeOwned,
  writeCredentialKeys,
  writeCredentialProcess,
  writeToolRegion,
} from './delivery-edits';
export type { OwnedEntries, SessionCredentials } from './delivery-edits';
export {
  DeliveryInterrupted,
  deliverAsCredentialProcess,
  deliverToCredentialsFile,
  findForeignCredentials,
  withdrawAndGiveBack,
  withdrawDelivery,
} from './delivery';
export type { AwsDelivery, DeliverOptions, WithdrawOptions, Withdrawal } from './delivery';
