// What a PKCS#11 module shows without a PIN: its tokens and the certificates on them, for the window's
// "hardware token" key source. Only public objects are read (no login), so nothing here is secret; each
// certificate comes with a pkcs11: URI that names exactly it, as profiles.addFromToken takes it.
import { X509Certificate } from 'node:crypto';
import type { TokenListing } from '../../shared/model';
import { defaultModulePath, tokenError, withModule } from './library';
import { formatPkcs11Uri } from './uri';

const MAX_OBJECTS = 1000;

/** The tokens `modulePath` (p11-kit's proxy when absent) shows now, each with its readable certificates. */
export function listTokens(modulePath: string = defaultModulePath()): Promise<TokenListing> {
  return withModule(modulePath, async (module, api) => {
    let handles: Buffer[];
    try {
      handles = module.C_GetSlotList(true);
    } catch (error) {
      throw tokenError(error, 'listing the tokens');
    }
    const tokens: Array<TokenListing['tokens'][number]> = [];
    for (const handle of handles) {
      const info = module.C_GetTokenInfo(handle);
      // A blank card (or SoftHSM's spare slot) holds nothing and refuses sessions.
      if (!(info.flags & api.CKF_TOKEN_INITIALIZED)) continue;
      const label = trimmed(info.label);
      const serial = trimmed(info.serialNumber);
      const session = module.C_OpenSession(handle, api.CKF_SERIAL_SESSION);
      try {
        module.C_FindObjectsInit(session, [{ type: api.CKA_CLASS, value: api.CKO_CERTIFICATE }]);
        let objects: Buffer[];
        try {
          objects = module.C_FindObjects(session, MAX_OBJECTS);
        } finally {
          module.C_FindObjectsFinal(session);
        }
        const certificates = objects.flatMap((object) => {
          const [value, id, objectLabel] = [api.CKA_VALUE, api.CKA_ID, api.CKA_LABEL].map((type) => module.C_GetAttributeValue(session, object, [{ type }])[0]?.value);
          if (!value) return [];
          let certificate: X509Certificate;
          try {
            certificate = new X509Certificate(value);
          } catch {
            return [];
          }
          // A CA certificate stored beside the leaf is sent as its chain, never used as the profile's.
          if (certificate.ca) return [];
          const named = objectLabel && objectLabel.length > 0 ? objectLabel : undefined;
          return [
            {
              label: named?.toString('utf8') ?? '',
              subject: certificate.subject.split('\n').join(', '),
              notAfter: new Date(certificate.validTo).toISOString(),
              uri: formatPkcs11Uri([
                ['token', label],
                ['serial', serial],
                ...(named ? [['object', named] as const] : []),
                ...(id && id.length > 0 ? [['id', id] as const] : []),
                ['type', 'cert'],
              ]),
            },
          ];
        });
        tokens.push({ label, manufacturer: trimmed(info.manufacturerID), model: trimmed(info.model), serial, certificates });
      } catch (error) {
        throw tokenError(error, `reading token "${label}"`);
      } finally {
        module.C_CloseSession(session);
      }
    }
    return { module: modulePath, tokens };
  });
}

function trimmed(field: string): string {
  return field.replace(/[\s\0]+$/, '');
}
