// Keys that never leave a PKCS#11 token (smart cards, YubiKey PIV, HSMs): RFC 7512 URIs, the search for
// a certificate and its key, and a Signer that signs on the token.
export { defaultModulePath } from './library';
export { listTokens } from './token-list';
export { findTokenCertificates, withTokenKey, type AskPin, type PinRequest, type TokenCertificate, type TokenKey, type TokenKeyOptions } from './token-key';
export { TokenPins, withProfileTokenKey, type KeptPin, type ProfileTokenKey } from './profile-key';
export { isPkcs11Uri, parsePkcs11Uri, withoutPinValue, type Pkcs11Uri } from './uri';
