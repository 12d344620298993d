export type { ConsoleSignIn, ConsoleSignInDeps, ConsoleSignInRequest, SessionKeys } from './federation';
export { consoleDestination, consoleSignIn, federationEndpoints } from './federation';
