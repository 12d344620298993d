// Finding a certificate and its private key on a PKCS#11 token, and signing with that key, by the rules
// the reference client follows (draft-woodhouse-cert-best-practice, section 8):
// - certificates are first looked for in every matching token without logging in; only when none is
//   found and exactly one token matches is that token logged in to and searched again;
// - several matching certificates are refused, not guessed between;
// - the key is looked for with the key URI (or the certificate's URI) in the one matching token, or in
//   the certificate's token when several match; each candidate key must prove it belongs to the
//   certificate by signing a challenge the certificate's public key verifies;
// - found by the certificate's label and no key has that label: search again by the certificate's id.
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import type { Signer, SigningAlgorithm } from '../signing';
import { tokenError, returnValueName, withModule, defaultModulePath, type Pkcs11Binding, type Pkcs11Module } from './library';
import { formatPkcs11Uri, textAttribute, withIdInsteadOfLabel, type Pkcs11Uri, type SlotAttribute } from './uri';

export interface PinRequest {
  /** The token's label, for the question. */
  readonly token: string;
  /** `user` to log in; `context-specific` for a key that wants the PIN again at each signature. */
  readonly kind: 'user' | 'context-specific';
  /** The token refused the PIN given last time. */
  readonly retry: boolean;
  /** What the token says of its wrong-PIN counter. */
  readonly triesLeft?: 'few' | 'one';
}

/** Asks someone for a PIN; undefined when nobody can answer. */
export type AskPin = (request: PinRequest) => Promise<string | undefined>;

export interface TokenKeyOptions {
  /** The PKCS#11 module; p11-kit's proxy when absent. */
  readonly modulePath?: string;
  /** The certificate on the token (by URI) or in a file (DER). */
  readonly certificate: { readonly uri: Pkcs11Uri } | { readonly der: Buffer };
  /** The key's own URI; absent means "where the certificate is". */
  readonly privateKey?: Pkcs11Uri;
  /** A PIN the caller already has (the keychain, a PIN typed for this profile earlier). */
  readonly pin?: string;
  readonly askPin?: AskPin;
  /** The person answering `askPin` types each try: a wrong PIN may be asked again. Otherwise one try only. */
  readonly askAgain?: boolean;
  /** For keys with CKA_ALWAYS_AUTHENTICATE: use the user PIN as the context-specific PIN. */
  readonly reusePin?: boolean;
}

export interface TokenKey {
  readonly certificateDer: Buffer;
  /** CA certificates found on the token above the leaf (never the self-signed root). */
  readonly chainDer: readonly Buffer[];
  readonly signer: Signer;
  /** The token's label, for messages and the window. */
  readonly token: string;
  /** The user PIN that logged in, so a caller may keep it (only when the user asked for that). */
  readonly pin: string | undefined;
  /** URIs naming exactly the certificate and key found, for `--debug` and profile views. */
  readonly certificateUri: string | undefined;
  readonly keyUri: string;
}

interface Slot {
  readonly handle: Buffer;
  readonly id: bigint;
  readonly fields: Readonly<Record<SlotAttribute, string>>;
  readonly flags: number;
}

interface CertificateObject {
  readonly slot: Slot;
  readonly der: Buffer;
  readonly id: Buffer;
  readonly label: Buffer;
}

const MAX_OBJECTS = 1000;
const MAX_CHAIN = 5;

/** Opens the token, finds certificate and key, and runs `use` while the key can sign. */
export function withTokenKey<T>(options: TokenKeyOptions, use: (key: TokenKey) => Promise<T>): Promise<T> {
  const modulePath = options.modulePath ?? defaultModulePath();
  return withModule(modulePath, async (module, api) => {
    const search = new TokenSearch(module, api, options);
    try {
      return await use(await search.find());
    } finally {
      search.close();
    }
  });
}

export interface TokenCertificate {
  readonly der: Buffer;
  /** A URI for the certificate with the attributes the reference's listing gives it. */
  readonly uri: string;
}

/**
 * Every certificate `uri` matches, as the reference's `read-certificate-data` lists them: looked for
 * without logging in, then (one token matching and nothing found) after logging in with the URI's PIN,
 * or one `askPin` gives (a single try).
 */
export function findTokenCertificates(uri: Pkcs11Uri, modulePath: string = defaultModulePath(), askPin?: AskPin): Promise<TokenCertificate[]> {
  return withModule(modulePath, async (module, api) => {
    const search = new TokenSearch(module, api, { certificate: { uri }, ...(askPin && { askPin }) });
    try {
      return (await search.listCertificates(uri)).map((object) => ({ der: object.der, uri: listingUri(object) }));
    } finally {
      search.close();
    }
  });
}

class TokenSearch {
  private readonly sessions = new Map<bigint, Buffer>();
  private readonly loggedIn = new Set<bigint>();
  private userPin: string | undefined;
  /** A context-specific PIN the key took: the proof and the real signature share one question. */
  private contextPin: string | undefined;

  constructor(
    private readonly module: Pkcs11Module,
    private readonly api: Pkcs11Binding,
    private readonly options: TokenKeyOptions,
  ) {
    this.userPin = options.pin;
  }

  async find(): Promise<TokenKey> {
    const slots = this.slots();
    let certificate: { der: Buffer; object?: CertificateObject };
    if ('uri' in this.options.certificate) {
      const object = await this.findCertificate(slots, this.options.certificate.uri);
      certificate = { der: object.der, object };
    } else {
      certificate = { der: this.options.certificate.der };
    }
    const leaf = parseCertificate(certificate.der);
    const keyUri = this.options.privateKey ?? ('uri' in this.options.certificate ? this.options.certificate.uri : undefined);
    if (!keyUri) throw new RolecallError('USAGE', 'a key on a token needs a pkcs11: URI for the certificate or the private key');
    const keySlot = this.keySlot(slots, keyUri, certificate.object?.slot);
    const session = this.session(keySlot);
    await this.logIn(keySlot, keyUri);
    let key = await this.findKey(session, keySlot, keyUri, leaf);
    // Found by the certificate's label and no key has it: keys often carry only the certificate's id.
    if (!key && !this.options.privateKey && keyUri.path.has('object') && certificate.object && certificate.object.id.length > 0) {
      key = await this.findKey(session, keySlot, withIdInsteadOfLabel(keyUri, certificate.object.id), leaf);
    }
    if (!key) throw new RolecallError('PKCS11_KEY_NOT_FOUND', `token "${keySlot.fields.token}"; certificate ${leaf.subject.replace(/\n/g, ', ')}`);
    const chainDer = certificate.object ? this.chainOnToken(this.session(certificate.object.slot), leaf) : [];
    return {
      certificateDer: certificate.der,
      chainDer,
      signer: { algorithm: key.algorithm, sign: (data) => this.sign(session, keySlot, key, data) },
      token: keySlot.fields.token,
      pin: this.userPin,
      certificateUri: certificate.object ? objectUri(certificate.object.slot, certificate.object.id, certificate.object.label, 'cert') : undefined,
      keyUri: objectUri(keySlot, key.id, key.label, 'private'),
    };
  }

  listCertificates(uri: Pkcs11Uri): Promise<CertificateObject[]> {
    return this.matchingCertificates(this.slots(), uri);
  }

  close(): void {
    for (const [slotId, session] of this.sessions) {
      try {
        if (this.loggedIn.has(slotId)) this.module.C_Logout(session);
        this.module.C_CloseSession(session);
      } catch {
        // The token may be gone; finalising the module releases what is left.
      }
    }
    this.sessions.clear();
  }

  private slots(): Slot[] {
    const { module } = this;
    let handles: Buffer[];
    try {
      handles = module.C_GetSlotList(true);
    } catch (error) {
      throw tokenError(error, 'listing the tokens');
    }
    const slots: Slot[] = [];
    for (const handle of handles) {
      try {
        const slot = module.C_GetSlotInfo(handle);
        const token = module.C_GetTokenInfo(handle);
        // A blank card (or SoftHSM's spare slot) has nothing to find and refuses sessions.
        if (!(token.flags & this.api.CKF_TOKEN_INITIALIZED)) continue;
        slots.push({
          handle,
          id: bufferNumber(handle),
          flags: token.flags,
          fields: {
            token: trimmed(token.label),
            manufacturer: trimmed(token.manufacturerID),
            model: trimmed(token.model),
            serial: trimmed(token.serialNumber),
            'slot-description': trimmed(slot.slotDescription),
            'slot-manufacturer': trimmed(slot.manufacturerID),
          },
        });
      } catch {
        // A slot whose token cannot be read now is not a match, as in the reference.
      }
    }
    return slots;
  }

  private matchingSlots(slots: readonly Slot[], uri: Pkcs11Uri): Slot[] {
    if (!this.libraryMatches(uri)) return [];
    const slotId = textAttribute(uri, 'slot-id');
    return slots.filter((slot) => {
      if (slotId !== undefined && BigInt(slotId) !== slot.id) return false;
      return (Object.keys(slot.fields) as SlotAttribute[]).every((name) => {
        const wanted = textAttribute(uri, name);
        return wanted === undefined || wanted === slot.fields[name];
      });
    });
  }

  private libraryMatches(uri: Pkcs11Uri): boolean {
    const wanted = ['library-manufacturer', 'library-description', 'library-version'].filter((name) => uri.path.has(name));
    if (wanted.length === 0) return true;
    const info = this.module.C_GetInfo();
    const actual: Record<string, string> = {
      'library-manufacturer': trimmed(info.manufacturerID),
      'library-description': trimmed(info.libraryDescription),
      'library-version': `${info.libraryVersion.major}.${info.libraryVersion.minor}`,
    };
    return wanted.every((name) => textAttribute(uri, name) === actual[name]);
  }

  private async findCertificate(slots: readonly Slot[], uri: Pkcs11Uri): Promise<CertificateObject> {
    const found = await this.matchingCertificates(slots, uri);
    const [first, ...others] = found;
    if (!first) throw new RolecallError('PKCS11_CERT_NOT_FOUND', 'no certificate matches the URI');
    if (others.length > 0) throw new RolecallError('PKCS11_CERT_AMBIGUOUS', found.map((object) => objectUri(object.slot, object.id, object.label, 'cert')).join(' '));
    return first;
  }

  /** Every certificate the URI matches, found by the reference's rules; at least one, or a typed error. */
  async matchingCertificates(slots: readonly Slot[], uri: Pkcs11Uri): Promise<CertificateObject[]> {
    const matching = this.matchingSlots(slots, uri);
    if (matching.length === 0) throw new RolecallError('PKCS11_TOKEN_NOT_FOUND', describeTokens(slots));
    const found = matching.flatMap((slot) => this.certificatesIn(slot, uri));
    if (found.length > 0) return found;
    // Certificates marked private show only after logging in, and only one token may be logged in to.
    const [only, ...more] = matching;
    if (!only || more.length > 0) throw new RolecallError('PKCS11_TOKEN_AMBIGUOUS', `${matching.length} tokens match and none shows a matching certificate without logging in: ${matching.map((slot) => `"${slot.fields.token}"`).join(', ')}`);
    await this.logIn(only, uri);
    const afterLogin = this.certificatesIn(only, uri);
    if (afterLogin.length === 0) throw new RolecallError('PKCS11_CERT_NOT_FOUND', `token "${only.fields.token}"`);
    return afterLogin;
  }

  private certificatesIn(slot: Slot, uri: Pkcs11Uri | undefined): CertificateObject[] {
    const session = this.session(slot);
    return this.findObjects(session, this.api.CKO_CERTIFICATE, uri).map((handle) => {
      const [value, id, label] = this.attributes(session, handle, [this.api.CKA_VALUE, this.api.CKA_ID, this.api.CKA_LABEL]);
      return { slot, der: value ?? Buffer.alloc(0), id: id ?? Buffer.alloc(0), label: label ?? Buffer.alloc(0) };
    }).filter((object) => object.der.length > 0);
  }

  private keySlot(slots: readonly Slot[], uri: Pkcs11Uri, certificateSlot: Slot | undefined): Slot {
    const matching = this.matchingSlots(slots, uri);
    if (matching.length === 1 && matching[0]) return matching[0];
    const same = certificateSlot && matching.find((slot) => slot.id === certificateSlot.id);
    if (same) return same;
    if (matching.length === 0) throw new RolecallError('PKCS11_TOKEN_NOT_FOUND', describeTokens(slots));
    throw new RolecallError('PKCS11_TOKEN_AMBIGUOUS', `${matching.length} tokens match the private key's URI: ${matching.map((slot) => `"${slot.fields.token}"`).join(', ')}`);
  }

  private async findKey(session: Buffer, slot: Slot, uri: Pkcs11Uri, leaf: X509Certificate): Promise<{ handle: Buffer; algorithm: SigningAlgorithm; alwaysAuthenticate: boolean; id: Buffer; label: Buffer } | undefined> {
    const { api } = this;
    const candidates = this.findObjects(session, api.CKO_PRIVATE_KEY, uri).flatMap((handle) => {
      const [keyType, id, label] = this.attributes(session, handle, [api.CKA_KEY_TYPE, api.CKA_ID, api.CKA_LABEL]);
      const [always] = this.attributes(session, handle, [api.CKA_ALWAYS_AUTHENTICATE]);
      const type = keyType ? Number(bufferNumber(keyType)) : -1;
      const algorithm: SigningAlgorithm | undefined = type === api.CKK_RSA ? 'AWS4-X509-RSA-SHA256' : type === api.CKK_EC ? 'AWS4-X509-ECDSA-SHA256' : undefined;
      if (!algorithm || algorithm !== algorithmOf(leaf)) return [];
      return [{ handle, algorithm, alwaysAuthenticate: always !== undefined && always[0] === 1, id: id ?? Buffer.alloc(0), label: label ?? Buffer.alloc(0) }];
    });
    // The token lists objects in no set order: a key that wants its PIN at every signature is proved last,
    // so it is asked for only when no other key turned out to be the certificate's.
    candidates.sort((a, b) => Number(a.alwaysAuthenticate) - Number(b.alwaysAuthenticate));
    for (const key of candidates) {
      const challenge = randomBytes(32);
      const signature = await this.sign(session, slot, key, challenge);
      if (verify('sha256', challenge, { key: leaf.publicKey, dsaEncoding: 'der' }, signature)) return key;
    }
    return undefined;
  }

  private async sign(session: Buffer, slot: Slot, key: { handle: Buffer; algorithm: SigningAlgorithm; alwaysAuthenticate: boolean }, data: Buffer): Promise<Buffer> {
    const { module, api } = this;
    const rsa = key.algorithm === 'AWS4-X509-RSA-SHA256';
    try {
      module.C_SignInit(session, { mechanism: rsa ? api.CKM_SHA256_RSA_PKCS : api.CKM_ECDSA }, key.handle);
      if (key.alwaysAuthenticate) await this.logInForSignature(session, slot);
      // CKM_ECDSA signs a digest the caller made; CKM_SHA256_RSA_PKCS hashes on the token.
      const input = rsa ? data : createHash('sha256').update(data).digest();
      const signature = await module.C_SignAsync(session, input, Buffer.alloc(rsa ? 1024 : 256));
      return rsa ? signature : rawEcdsaToDer(signature);
    } catch (error) {
      throw tokenError(error, 'signing');
    }
  }

  private session(slot: Slot): Buffer {
    let session = this.sessions.get(slot.id);
    if (!session) {
      try {
        session = this.module.C_OpenSession(slot.handle, this.api.CKF_SERIAL_SESSION);
      } catch (error) {
        throw tokenError(error, `opening a session on token "${slot.fields.token}"`);
      }
      this.sessions.set(slot.id, session);
    }
    return session;
  }

  /** Logs in as the user: the PIN given, then the URI's, then whoever `askPin` asks. */
  private async logIn(slot: Slot, uri: Pkcs11Uri): Promise<void> {
    if (this.loggedIn.has(slot.id)) return;
    const { api } = this;
    const session = this.session(slot);
    if (this.tokenFlags(slot) & api.CKF_USER_PIN_LOCKED) throw new RolecallError('PKCS11_PIN_LOCKED', `token "${slot.fields.token}"`);
    if (!(this.tokenFlags(slot) & api.CKF_LOGIN_REQUIRED)) return;
    const fixed = this.userPin ?? uri.pinValue ?? (await readPinSource(uri.pinSource));
    // A PIN pad on the reader: the module asks the person itself.
    const protectedPath = Boolean(this.tokenFlags(slot) & api.CKF_PROTECTED_AUTHENTICATION_PATH);
    let pin = fixed ?? (protectedPath ? undefined : await this.options.askPin?.({ token: slot.fields.token, kind: 'user', retry: false, ...this.triesLeft(slot) }));
    if (pin === undefined && !protectedPath) throw new RolecallError('PKCS11_PIN_REQUIRED', `token "${slot.fields.token}"`);
    for (;;) {
      try {
        this.module.C_Login(session, api.CKU_USER, pin);
        break;
      } catch (error) {
        const name = returnValueName(error);
        if (name === 'CKR_USER_ALREADY_LOGGED_IN') break;
        if (name !== 'CKR_PIN_INCORRECT' && name !== 'CKR_PIN_LEN_RANGE') throw tokenError(error, `logging in to token "${slot.fields.token}"`);
        const tries = this.triesLeft(slot);
        const again = fixed === undefined && this.options.askAgain ? await this.options.askPin?.({ token: slot.fields.token, kind: 'user', retry: true, ...tries }) : undefined;
        if (again === undefined) throw wrongPin(slot, tries.triesLeft);
        pin = again;
      }
    }
    this.loggedIn.add(slot.id);
    this.userPin = pin;
  }

  private async logInForSignature(session: Buffer, slot: Slot): Promise<void> {
    const ask = () => this.options.askPin?.({ token: slot.fields.token, kind: 'context-specific', retry: false, ...this.triesLeft(slot) }) ?? Promise.resolve(undefined);
    const pin = this.contextPin ?? (this.options.reusePin && this.userPin !== undefined ? this.userPin : await ask());
    if (pin === undefined) throw new RolecallError('PKCS11_PIN_REQUIRED', `the key on token "${slot.fields.token}" asks for its PIN at every signature (the reference's --reuse-pin uses the user PIN for it)`);
    try {
      this.module.C_Login(session, this.api.CKU_CONTEXT_SPECIFIC, pin);
      this.contextPin = pin;
    } catch (error) {
      const name = returnValueName(error);
      if (name === 'CKR_PIN_INCORRECT' || name === 'CKR_PIN_LEN_RANGE') throw wrongPin(slot, this.triesLeft(slot).triesLeft);
      throw tokenError(error, 'giving the key its PIN');
    }
  }

  private tokenFlags(slot: Slot): number {
    try {
      return this.module.C_GetTokenInfo(slot.handle).flags;
    } catch (error) {
      throw tokenError(error, `reading token "${slot.fields.token}"`);
    }
  }

  private triesLeft(slot: Slot): { triesLeft?: 'few' | 'one' } {
    const flags = this.tokenFlags(slot);
    if (flags & this.api.CKF_USER_PIN_FINAL_TRY) return { triesLeft: 'one' };
    if (flags & this.api.CKF_USER_PIN_COUNT_LOW) return { triesLeft: 'few' };
    return {};
  }

  private findObjects(session: Buffer, objectClass: number, uri: Pkcs11Uri | undefined): Buffer[] {
    const { module, api } = this;
    const template: Array<{ type: number; value: number | Buffer }> = [{ type: api.CKA_CLASS, value: objectClass }];
    const label = uri?.path.get('object');
    const id = uri?.path.get('id');
    if (label) template.push({ type: api.CKA_LABEL, value: label });
    if (id) template.push({ type: api.CKA_ID, value: id });
    try {
      module.C_FindObjectsInit(session, template);
      try {
        const handles: Buffer[] = [];
        for (;;) {
          const batch = module.C_FindObjects(session, MAX_OBJECTS);
          handles.push(...batch);
          if (batch.length < MAX_OBJECTS) return handles;
        }
      } finally {
        module.C_FindObjectsFinal(session);
      }
    } catch (error) {
      throw tokenError(error, 'searching the token');
    }
  }

  /** Each attribute's value, or undefined where the token has none or will not say. */
  private attributes(session: Buffer, handle: Buffer, types: readonly number[]): Array<Buffer | undefined> {
    return types.map((type) => {
      try {
        return this.module.C_GetAttributeValue(session, handle, [{ type }])[0]?.value;
      } catch (error) {
        const name = returnValueName(error);
        if (name === 'CKR_ATTRIBUTE_TYPE_INVALID' || name === 'CKR_ATTRIBUTE_SENSITIVE') return undefined;
        throw tokenError(error, 'reading an object on the token');
      }
    });
  }

  /** Issuers of the leaf stored on the same token, nearest first, up to (not including) a root. */
  private chainOnToken(session: Buffer, leaf: X509Certificate): Buffer[] {
    const others = this.findObjects(session, this.api.CKO_CERTIFICATE, undefined)
      .map((handle) => this.attributes(session, handle, [this.api.CKA_VALUE])[0])
      .flatMap((der) => (der ? [parseCertificate(der)] : []))
      .filter((certificate) => !certificate.raw.equals(leaf.raw));
    const chain: X509Certificate[] = [];
    let current = leaf;
    while (chain.length < MAX_CHAIN) {
      const issuer = others.find((candidate) => current.checkIssued(candidate) && current.verify(candidate.publicKey) && !chain.includes(candidate));
      if (!issuer || issuer.checkIssued(issuer)) break;
      chain.push(issuer);
      current = issuer;
    }
    return chain.map((certificate) => certificate.raw);
  }
}

function wrongPin(slot: Slot, triesLeft: 'few' | 'one' | undefined): RolecallError {
  const counter = triesLeft === 'one' ? '; the token says one try is left before the PIN locks' : triesLeft === 'few' ? '; the token says few tries are left' : '';
  return new RolecallError('PKCS11_PIN_WRONG', `token "${slot.fields.token}"${counter}`);
}

async function readPinSource(source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  const { readFile } = await import('node:fs/promises');
  const path = source.startsWith('file:') ? new URL(source.startsWith('file://') ? source : `file://${source.slice('file:'.length)}`) : source;
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch {
    throw new RolecallError('FILE_UNREADABLE', `pin-source ${typeof path === 'string' ? path : path.pathname}`);
  }
}

function parseCertificate(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw new RolecallError('CERT_UNREADABLE', 'a certificate object on the token');
  }
}

function algorithmOf(certificate: X509Certificate): SigningAlgorithm | undefined {
  const type = certificate.publicKey.asymmetricKeyType;
  return type === 'rsa' ? 'AWS4-X509-RSA-SHA256' : type === 'ec' ? 'AWS4-X509-ECDSA-SHA256' : undefined;
}

/** PKCS#11 gives ECDSA as r||s; Roles Anywhere wants the ASN.1 DER SEQUENCE of two INTEGERs. */
export function rawEcdsaToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmedBytes = bytes.subarray(start);
    const body = (trimmedBytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmedBytes]) : trimmedBytes;
    return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
  };
  const content = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(content.length), content]);
}

function derLength(length: number): Buffer {
  return length < 0x80 ? Buffer.from([length]) : Buffer.from([0x81, length]);
}

/** CK_ULONG values come as the platform's little-endian bytes (8 on 64-bit Unix, 4 on Windows). */
function bufferNumber(bytes: Buffer): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

function trimmed(field: string): string {
  return field.replace(/[\s\0]+$/, '');
}

function describeTokens(slots: readonly Slot[]): string {
  return slots.length === 0 ? 'the module shows no token' : `tokens present: ${slots.map((slot) => `"${slot.fields.token}"`).join(', ')}`;
}

function objectUri(slot: Slot, id: Buffer, label: Buffer, type: 'cert' | 'private'): string {
  return formatPkcs11Uri([
    ['token', slot.fields.token],
    ['serial', slot.fields.serial],
    ...(label.length > 0 ? [['object', label] as const] : []),
    ...(id.length > 0 ? [['id', id] as const] : []),
    ['type', type],
  ]);
}

// The reference names the token by model, manufacturer and serial (not its label) and adds the slot's
// description and manufacturer; its URI library writes attributes in no set order, Rolecall in the
// order the reference adds them.
function listingUri(object: CertificateObject): string {
  const { fields } = object.slot;
  return formatPkcs11Uri([
    ['model', fields.model],
    ['manufacturer', fields.manufacturer],
    ['serial', fields.serial],
    ['slot-description', fields['slot-description']],
    ['slot-manufacturer', fields['slot-manufacturer']],
    ...(object.id.length > 0 ? [['id', object.id] as const] : []),
    ...(object.label.length > 0 ? [['object', object.label] as const] : []),
    ['type', 'cert'],
  ]);
}
