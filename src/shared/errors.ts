// Every failure a user can meet, with what it means and what to do next. Codes are stable: the CLI
// prints them, the UI keys banners on them, tests assert them. No secret ever goes into `detail`.
import { SESSION_DURATION_SECONDS } from './limits';

interface ErrorText {
  readonly message: string;
  /** The next step as a terminal takes it: it may name `rolecall` commands and their flags. */
  readonly next: string;
  /** The next step where the window offers its own way (a menu item, a field) instead of a command or flag. */
  readonly nextInWindow?: string;
}

export const ERRORS = {
  // Certificates and keys (src/core/pki)
  CERT_NOT_FOUND: { message: 'No certificate found in the input.', next: 'Pass a PEM or DER X.509 certificate file (the one your CA issued), not a key or CSR.' },
  CERT_UNREADABLE: { message: 'The certificate could not be parsed.', next: 'Check the file is an X.509 certificate in PEM (-----BEGIN CERTIFICATE-----) or DER form and is not damaged.' },
  PEM_TRUNCATED: { message: 'The PEM data is truncated: a BEGIN line has no matching END line.', next: 'Copy the whole file again, including the -----END ...----- line.' },
  KEY_NOT_FOUND: { message: 'No private key found in the input.', next: 'Pass the private key file (PEM: BEGIN PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY), or a PKCS#12 (.p12/.pfx) file.' },
  KEY_UNREADABLE: { message: 'The private key could not be parsed.', next: 'Check the file holds an RSA or EC private key in PEM or DER form and is not damaged.' },
  KEY_PASSPHRASE_REQUIRED: { message: 'The private key is encrypted and no passphrase was given.', next: 'Give the passphrase (you will be asked on a terminal, or use --pkcs8-password).', nextInWindow: 'Give the passphrase of the private key.' },
  KEY_PASSPHRASE_WRONG: { message: 'The passphrase does not decrypt the private key.', next: 'Check the passphrase; it is case-sensitive. ACM exports use the passphrase chosen at export time.' },
  PKCS12_PASSWORD_WRONG: { message: 'The PKCS#12 password is wrong (integrity check failed).', next: 'Check the password of the .p12/.pfx file; an empty password is different from no password.' },
  PKCS12_UNREADABLE: { message: 'The PKCS#12 file could not be read.', next: 'Check it is a .p12/.pfx file holding one certificate and its private key.' },
  KEY_UNSUPPORTED: { message: 'This key type is not supported by IAM Roles Anywhere.', next: 'Use an RSA key of 2048 to 4096 bits or an EC key on P-256 or P-384.' },
  KEY_CERT_MISMATCH: { message: 'The private key does not belong to the certificate.', next: 'Pass the key that was used to create the certificate signing request for this certificate.' },
  CERT_EXPIRED: { message: 'The certificate has expired.', next: 'Ask your CA for a new certificate (or run your renewal job), then update the profile.' },
  CERT_NOT_YET_VALID: { message: 'The certificate is not valid yet.', next: 'Wait until its validity starts, or check this computer\'s clock.' },
  CERT_IS_CA: { message: 'The certificate is a CA certificate and cannot sign in as an end entity.', next: 'Use the leaf (end-entity) certificate your CA issued, not the CA certificate itself.' },
  CERT_KEY_USAGE: { message: 'The certificate\'s keyUsage does not allow digitalSignature.', next: 'Issue a certificate whose keyUsage includes digitalSignature.' },
  CERT_WEAK_SIGNATURE: { message: 'The certificate is signed with a hash weaker than SHA-256.', next: 'Issue a certificate signed with SHA-256 or stronger.' },
  CERT_NOT_V3: { message: 'The certificate is not X.509 version 3.', next: 'Issue an X.509 v3 certificate.' },
  CHAIN_TOO_LONG: { message: 'The certificate chain is longer than the 5 certificates Roles Anywhere accepts.', next: 'Pass only the intermediates between your certificate and the trust anchor.' },
  FILE_UNREADABLE: { message: 'A file could not be read.', next: 'Check the path exists and you can read it.' },
  FILE_UNWRITABLE: { message: 'The file could not be written.', next: 'Choose a folder you can write to, on a disk that is not full or read-only.', nextInWindow: 'Save it in a folder you can write to, on a disk that is not full or read-only.' },
  FILE_CHOICE_UNCLEAR: { message: 'Rolecall could not tell which chosen file is the certificate, the key and the chain.', next: 'Choose one certificate file (or one .p12/.pfx file), at most one key file and at most one file of intermediate certificates.' },

  // Requests and the service (src/core/rolesanywhere)
  ARN_INVALID: { message: 'An ARN is not valid.', next: 'Copy it from the IAM Roles Anywhere console: arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID or …:profile/ID; roles are arn:aws:iam::ACCOUNT:role/NAME.' },
  REGION_MISMATCH: { message: 'The trust anchor and the profile are in different regions.', next: 'Use a trust anchor and a profile from the same region.' },
  REGION_INVALID: { message: 'The region is not valid.', next: 'Use a region name such as us-east-1.' },
  DURATION_INVALID: { message: `The session duration must be between ${SESSION_DURATION_SECONDS.min} and ${SESSION_DURATION_SECONDS.max} seconds.`, next: `Choose a duration from ${SESSION_DURATION_SECONDS.min} (15 minutes) to ${SESSION_DURATION_SECONDS.max} (12 hours).` },
  SESSION_NAME_INVALID: { message: 'The role session name is not valid.', next: 'Use 2 to 64 characters from letters, digits and =,.@-' },
  ENDPOINT_INVALID: { message: 'The endpoint is not a valid URL.', next: 'Use https://HOST[:PORT]; plain http is allowed only for 127.0.0.1, ::1 or localhost.' },
  UNTRUSTED_CERTIFICATE: { message: 'Roles Anywhere does not trust the signing certificate.', next: 'Send the intermediate certificates (--intermediates), or check the trust anchor holds the CA that issued this certificate.', nextInWindow: 'Choose the file of intermediate certificates together with the certificate (Edit…, then Choose another…), or check the trust anchor holds the CA that issued this certificate.' },
  INVALID_SIGNATURE: { message: 'Roles Anywhere rejected the request signature.', next: 'Check the private key matches the certificate and this computer\'s clock is right; run with --debug for the canonical request.', nextInWindow: 'Check the private key matches the certificate and this computer\'s clock is right.' },
  SESSION_NAME_NOT_ACCEPTED: { message: 'The Roles Anywhere profile does not accept a role session name.', next: 'Turn on "accept role session name" in the profile, or drop --role-session-name.', nextInWindow: 'Turn on "accept role session name" in the Roles Anywhere profile, or clear the role session name (Edit…).' },
  ACCESS_DENIED: { message: 'Roles Anywhere denied the request.', next: 'Run `rolecall explain` with the profile\'s name: it checks the certificate, the trust anchor, the profile and last the role\'s trust policy, in the service\'s order, and names the one that refuses.', nextInWindow: 'Choose "Why?" in the profile\'s menu: Rolecall checks the certificate, the trust anchor, the profile and last the role\'s trust policy, in the service\'s order, and names the one that refuses.' },
  CERT_REVOKED: { message: 'The certificate is revoked: a CRL of the trust anchor lists its serial number.', next: 'Ask your CA for a new certificate, then update the profile with it.' },
  CHAIN_BROKEN: { message: 'The intermediate certificates do not chain this certificate to its CA.', next: 'Give the intermediates your CA issued with this certificate (its chain or bundle file), each one issued by the next.' },
  CLOCK_SKEW: { message: 'This computer\'s clock differs from Roles Anywhere\'s by more than 5 minutes, so the request\'s date was refused.', next: 'Set this computer\'s clock right (turn on network time), then try again.' },
  SIGNING_REGION_MISMATCH: { message: 'The request was signed for another region than the one the Roles Anywhere endpoint serves.', next: 'Sign for the trust anchor\'s region: clear the signing region (or set it to the region in the trust anchor ARN), and use that region\'s endpoint.' },
  TRUST_ANCHOR_DISABLED: { message: 'The trust anchor is disabled in Roles Anywhere.', next: 'Ask whoever runs your AWS account to enable it (aws rolesanywhere enable-trust-anchor), or use another trust anchor.' },
  TRUST_ANCHOR_MISSING: { message: 'Roles Anywhere has no trust anchor with this ARN in this region.', next: 'Check the trust anchor ARN and its region; copy it from the IAM Roles Anywhere console.' },
  RA_PROFILE_DISABLED: { message: 'The Roles Anywhere profile is disabled.', next: 'Ask whoever runs your AWS account to enable it (aws rolesanywhere enable-profile), or use another profile.' },
  RA_PROFILE_MISSING: { message: 'Roles Anywhere has no profile with this ARN in this region.', next: 'Check the profile ARN and its region; copy it from the IAM Roles Anywhere console.' },
  ROLE_MISSING: { message: 'IAM has no role with this ARN.', next: 'Check the role ARN; copy it from the IAM console.' },
  TRUST_POLICY_DENIED: { message: 'The role\'s trust policy does not let this certificate assume the role.', next: 'Ask whoever runs your AWS account to change the condition named above, or use a certificate that carries the value it wants.' },
  ROLE_NOT_IN_PROFILE: { message: 'The role is not one of the Roles Anywhere profile\'s roles.', next: 'Choose a role the profile lists, or ask whoever runs your AWS account to add this role to the profile.' },
  NOT_FOUND: { message: 'Roles Anywhere could not find the trust anchor, profile or role.', next: 'Check the ARNs and the region; the role must be listed in the profile.' },
  VALIDATION: { message: 'Roles Anywhere refused the request as invalid.', next: 'Check the ARNs, the duration (it may exceed the profile\'s or role\'s maximum) and the session name.' },
  THROTTLED: { message: 'Roles Anywhere is throttling requests (10 CreateSession per second per account and region).', next: 'Wait a moment and try again; use `rolecall credential-process --profile NAME` so sessions are cached.', nextInWindow: 'Wait a moment: Rolecall tries again by itself, and tools share its cached session instead of asking anew.' },
  SERVICE_UNAVAILABLE: { message: 'Roles Anywhere had an internal error.', next: 'Try again in a minute; check the AWS Health Dashboard if it persists.' },
  NETWORK: { message: 'Could not reach Roles Anywhere.', next: 'Check your network, proxy (HTTPS_PROXY, and --with-proxy in drop-in mode) and the endpoint.', nextInWindow: 'Check your network, your system proxy settings and the endpoint (Edit…, Advanced).' },
  TIMEOUT: { message: 'Roles Anywhere did not answer in time.', next: 'Check your network and proxy, then try again.' },
  RESPONSE_TOO_LARGE: { message: 'The answer was far larger than any real Roles Anywhere answer, so Rolecall stopped reading it.', next: 'Check the endpoint is Roles Anywhere and that no proxy or captive portal answers in its place, then try again.' },
  TLS: { message: 'The TLS connection to Roles Anywhere could not be verified.', next: 'Check the endpoint and your corporate proxy\'s CA (NODE_EXTRA_CA_CERTS).' },
  CREDENTIALS_UNUSABLE: { message: 'Roles Anywhere answered with credentials that are already expired or about to expire.', next: 'Check this computer\'s clock and time zone against the times shown; Rolecall keeps the last good credentials and tries again.' },
  EMPTY_CREDENTIALS: { message: 'Roles Anywhere answered without credentials.', next: 'Try again; if it persists, check the profile\'s role list.' },
  SERVICE_ERROR: { message: 'Roles Anywhere returned an unexpected error.', next: 'Try again; run with --debug to see the full response.', nextInWindow: 'Try again; if it persists, report it with the log file (it holds no secrets).' },
  DISCOVERY_DENIED: { message: 'These credentials may not list Roles Anywhere trust anchors and profiles.', next: 'Use credentials whose IAM policy allows rolesanywhere:ListTrustAnchors and rolesanywhere:ListProfiles in this region, or type the ARNs yourself.' },
  DISCOVERY_CREDENTIALS_INVALID: { message: 'AWS did not accept the credentials used to list trust anchors and profiles.', next: 'Refresh the Rolecall profile or check the AWS CLI profile\'s keys (`aws sts get-caller-identity --profile NAME`), and check this computer\'s clock.' },
  DISCOVERY_CREDENTIALS_EXPIRED: { message: 'The credentials used to list trust anchors and profiles have expired.', next: 'Refresh the Rolecall profile, or renew the AWS CLI profile\'s session (e.g. `aws sso login`), then try again.' },

  // Setting up the AWS side: trust anchor, role, profile (src/core/aws-setup)
  SETUP_TAG_MISSING: { message: 'No principal tag was chosen for the trust policy, and Rolecall will not write one that trusts every certificate of the CA.', next: 'Give your certificate so its subject OU and CN are pinned, or choose the principal tags the trust policy requires: tags the certificate carries, or tags with their values.' },
  SETUP_TAG_UNKNOWN: { message: 'A chosen principal tag is not one this certificate carries under Roles Anywhere\'s mapping.', next: 'Choose among the tags the certificate carries (x509Subject/OU, x509Subject/CN, x509Issuer/CN, x509SAN/DNS, ...: inspecting the certificate lists them), or give the tag with its value.' },
  SETUP_CA_INVALID: { message: 'The CA for the trust anchor is not usable.', next: 'Give the certificate (PEM or DER, basicConstraints CA:TRUE) of the CA that issued yours, or an AWS Private CA ARN (arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/ID).' },
  SETUP_NAME_INVALID: { message: 'A name for the setup\'s resources is not valid.', next: 'Use letters, digits, - and _ for the setup name (at most 50 characters), and letters, digits and +=,.@_- for the role name (at most 64).' },
  POLICY_ARN_INVALID: { message: 'A managed policy ARN is not valid, or IAM has no such policy.', next: 'Use the ARN of an existing managed policy, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::ACCOUNT:policy/NAME (aws iam list-policies lists them).' },
  SETUP_ACCESS_DENIED: { message: 'The AWS credentials may not perform one of the setup\'s actions.', next: 'Use an AWS profile allowed the action named above (the setup needs iam:GetRole, iam:CreateRole, iam:TagRole, iam:AttachRolePolicy, iam:ListAttachedRolePolicies and rolesanywhere:ListTrustAnchors, ListProfiles, CreateTrustAnchor, CreateProfile, TagResource), or hand the CloudFormation template or AWS CLI commands Rolecall writes to whoever runs your AWS account.' },
  SETUP_CONFLICT: { message: 'A resource with the setup\'s name exists already and differs from what this setup would make.', next: 'Choose another setup or role name, or remove the resource named above (undoing a Rolecall setup removes what it created).' },
  SETUP_FAILED: { message: 'AWS refused a step of the setup.', next: 'Read AWS\'s message above and fix its cause, then run the setup again: it reuses what exists. Undoing the setup removes what it created.' },
  SETUP_NOTHING_TO_UNDO: { message: 'Rolecall has no record of resources created by a setup of this name here.', next: 'Check the setup name, region and endpoint are those the setup ran with: undo removes only what a setup recorded.' },
  ROLECALL_CA_UNAVAILABLE: { message: 'Rolecall cannot read the certificate of a Rolecall CA here.', next: 'Give the CA certificate file instead.' },

  // The local sandbox (src/sandbox)
  TRUST_CA_INVALID: { message: 'The file is not a CA certificate the sandbox can trust.', next: 'Choose the certificate of the CA that issued yours (PEM or DER, with basicConstraints CA:TRUE), not your own certificate or a key.' },

  // CLI input
  USAGE: { message: 'The command line is not valid.', next: 'Run the command with --help to see its options.', nextInWindow: 'Check the values you entered, then try again.' },
  NOT_SUPPORTED_YET: { message: 'This option is not supported yet.', next: 'Use a certificate file and private key (or a PKCS#12 file) instead.' },
  NO_TTY: { message: 'A passphrase is needed but there is no terminal to ask on.', next: 'Pass it with --pkcs8-password or on standard input (--passphrase-stdin).' },

  // Keys on PKCS#11 tokens: smart cards, YubiKey PIV, HSMs (src/core/pkcs11)
  PKCS11_SUPPORT_MISSING: { message: 'This installation of Rolecall has no PKCS#11 support (its optional pkcs11js part is not installed).', next: 'Reinstall Rolecall with its optional dependencies (npm install without --omit=optional, with a C++ compiler present), or use a certificate and key file.', nextInWindow: 'Reinstall Rolecall with its optional parts, or use a certificate and key file.' },
  PKCS11_MODULE_UNLOADABLE: { message: 'The PKCS#11 module could not be loaded.', next: 'Check the path of your token\'s PKCS#11 library (for example /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so), or install p11-kit so its proxy finds the modules your system registered.' },
  PKCS11_URI_INVALID: { message: 'The pkcs11: URI is not valid.', next: 'Write it as RFC 7512 says, e.g. pkcs11:token=My%20Token;object=My%20Key?pin-source=file:/path/pin (attributes token, manufacturer, serial, model, slot-id, object, id; %XX for special characters).' },
  PKCS11_TOKEN_NOT_FOUND: { message: 'No token matching the pkcs11: URI is present.', next: 'Insert the token (or unlock the reader), and check the URI\'s token, serial and slot-id against the tokens listed above.' },
  PKCS11_TOKEN_AMBIGUOUS: { message: 'Several tokens match the pkcs11: URI.', next: 'Name one token in the URI with token=LABEL or serial=SERIAL.' },
  PKCS11_CERT_NOT_FOUND: { message: 'No certificate on the token matches the pkcs11: URI.', next: 'Check the URI\'s object (label) and id against the certificates on the token (GnuTLS\'s p11tool or OpenSC\'s pkcs11-tool lists them), and that the PIN was right if the certificate is private.' },
  PKCS11_CERT_AMBIGUOUS: { message: 'Several certificates on the token match the pkcs11: URI, and Rolecall will not guess between them.', next: 'Use one of the URIs listed above, or add object=LABEL or id=ID to yours.' },
  PKCS11_KEY_NOT_FOUND: { message: 'No private key on the token matches the certificate.', next: 'Check the key is on the same token with the certificate\'s id, or give the key\'s own pkcs11: URI; the certificate must be the one issued for that key.' },
  PKCS11_PIN_REQUIRED: { message: 'The token needs its PIN and there is nobody to ask.', next: 'Run the command in a terminal to be asked for it, or give it through the URI\'s pin-source (a file only you can read) or pin-value.', nextInWindow: 'Choose Enter token PIN… in the profile\'s menu.' },
  PKCS11_PIN_WRONG: { message: 'The token refused the PIN.', next: 'Check the PIN (not the PUK or SO PIN) and try again yourself: Rolecall tries a PIN once and never again on its own, so the token\'s lockout counter is not used up.', nextInWindow: 'Choose Enter token PIN… in the profile\'s menu and give the PIN (not the PUK or SO PIN): Rolecall tries a PIN once and never again on its own.' },
  PKCS11_PIN_LOCKED: { message: 'The token\'s PIN is locked after too many wrong tries.', next: 'Unblock it with the PUK or security officer PIN using your token vendor\'s tool (ykman piv access unblock-pin, pkcs11-tool --unlock-pin), then try again.', nextInWindow: 'Unblock the PIN with the PUK or security officer PIN using your token vendor\'s tool, then refresh the profile.' },
  PKCS11_TOKEN_REMOVED: { message: 'The token was removed or stopped answering.', next: 'Insert the token again, then try again (refresh the profile).', nextInWindow: 'Insert the token again, then refresh the profile.' },
  PKCS11_FAILED: { message: 'The PKCS#11 module refused an operation.', next: 'The detail names the module\'s answer; check the token works with its vendor\'s tool, then try again.' },

  // Keychain (src/core/secrets)
  KEYCHAIN_UNAVAILABLE: { message: 'The OS keychain is not reachable, so nothing secret was stored.', next: 'On Linux install and unlock a Secret Service (gnome-keyring or KeePassXC) in a D-Bus session; or keep the key in its file with --key-in-file.', nextInWindow: 'On Linux install and unlock a Secret Service (gnome-keyring or KeePassXC) in your desktop session; or choose "Keep in my file" for the private key.' },
  KEYCHAIN_LOCKED: { message: 'The OS keychain is locked.', next: 'Unlock your keyring (log in to the desktop, or run gnome-keyring-daemon --unlock), then try again.' },
  KEYCHAIN_ITEM_MISSING: { message: 'The private key of this profile is missing from the keychain.', next: 'Store the key again from its file: `rolecall profiles edit` with the profile\'s name and --private-key FILE.', nextInWindow: 'Edit the profile and choose its certificate and key files again.' },

  // Rolecall's data and the AWS files (src/core/store, src/core/awsfiles)
  STORE_CORRUPT: { message: 'Rolecall\'s data file could not be read.', next: 'Repair the file named above by hand (the field at fault is named) or restore it from a backup; moving it aside starts over with no profiles. Rolecall does not write it while it cannot read it.' },
  STORE_TOO_NEW: { message: 'Rolecall\'s data was written by a newer version.', next: 'Update Rolecall.' },
  STORE_BUSY: { message: 'Another Rolecall process holds the data lock.', next: 'Try again in a moment.' },
  STORE_UNWRITABLE: { message: 'Rolecall could not write in its data folder.', next: 'Check you own the data folder (ROLECALL_HOME) and the disk is not full or read-only.' },
  AWS_FILE_CONFLICT: { message: 'The AWS file kept changing while Rolecall tried to update it.', next: 'Try again; close tools that rewrite it in a loop.' },
  AWS_FILE_UNSAFE: { message: 'Rolecall refused a write that would have lost part of your AWS file.', next: 'Nothing was changed. Report this with the file\'s structure (not its secrets).' },
  AWS_FILE_BUSY: { message: 'Another Rolecall process is updating the AWS file.', next: 'Try again in a moment; if it persists, check for a stuck rolecall process.' },
  AWS_FILE_UNWRITABLE: { message: 'Rolecall could not write the AWS file.', next: 'Check you own the file and its folder and the disk is not full or read-only. Your file was not changed.' },
  AWS_PROFILE_TAKEN: { message: 'This AWS profile name already holds credentials Rolecall did not write.', next: 'Choose another name, or pass --force to let Rolecall take over that profile.', nextInWindow: 'Choose another name, or let Rolecall take over that profile.' },
  AWS_LINES_KEPT: { message: 'Rolecall could not put back your own lines it took over with --force: that part of the AWS file changed since.', next: 'They are kept in the OS keychain (the detail names the item). Undo your edits to that section and deactivate again to get them back exactly, or copy them from the keychain item yourself and delete the item.' },
  AWS_PROFILE_UNUSABLE: { message: 'No credentials could be read from this AWS CLI profile.', next: 'Check the profile name and its settings in ~/.aws/config and ~/.aws/credentials; `aws sts get-caller-identity --profile NAME` tests it.' },

  // Importing credential_process lines (src/core/profiles/import)
  IMPORT_LINE_INVALID: { message: 'This credential_process line could not be read as an aws_signing_helper command.', next: 'Check its quoting and that it has --certificate, --trust-anchor-arn, --profile-arn and --role-arn, then preview the import again.' },
  IMPORT_OPTION_UNSUPPORTED: { message: 'This credential_process line uses an option Rolecall does not import.', next: 'Keep this profile as it is, or remove the option from the line and preview the import again.' },
  IMPORT_NOT_FOUND: { message: 'No importable credential_process line was found for this AWS profile.', next: 'Preview the import again; the config file may have changed since.' },
  IMPORT_LINE_CONTINUED: { message: 'This credential_process line is continued with backslashes, which AWS tools do not accept: the AWS CLI and SDKs keep each backslash and line break in the next argument, so the command fails as written.', next: 'Write the command on one line in the config file (remove each backslash with the line break after it), then preview the import again.' },

  // Profiles (src/core/profiles)
  PROFILE_NAME_INVALID: { message: 'The profile name is not valid.', next: 'Use letters, digits and - _ . + @ (no spaces or brackets).' },
  PROFILE_EXISTS: { message: 'A Rolecall profile with this name exists already.', next: 'Choose another name, or edit the existing profile.' },
  PROFILE_NOT_FOUND: { message: 'There is no Rolecall profile with this name.', next: 'Run `rolecall profiles list` to see your profiles.', nextInWindow: 'It may have been removed from the command line; the list shows the profiles there are.' },
  DRAFT_NOT_FOUND: { message: 'The certificate picked for this profile is no longer held (a pick lasts 10 minutes).', next: 'Choose the certificate and key files again.' },
  DRAFT_LOCKED: { message: 'The key of the picked certificate is still encrypted.', next: 'Give its passphrase first.' },
  KEY_FILE_ENCRYPTED: { message: 'An encrypted key cannot stay in its file: Rolecall reads that file at every signing and never stores a passphrase.', next: 'Keep the key in the keychain (the default), or point to an unencrypted copy readable only by you (chmod 600).' },
  KEY_FILE_UNKNOWN: { message: 'Rolecall does not know which file holds this profile\'s key.', next: 'Choose the certificate and key files again, then keep the key in its file.' },

  // Keys born in the keychain, certificate requests and a local CA (src/core/certificates, src/core/ca)
  KEY_TYPE_UNSUPPORTED: { message: 'Rolecall cannot make a key of this type for Roles Anywhere.', next: 'Use --key-type p256 (the default), p384, rsa2048, rsa3072 or rsa4096.', nextInWindow: 'Choose one of the key types offered: P-256 (the default), P-384, or RSA of 2048, 3072 or 4096 bits.' },
  SUBJECT_INVALID: { message: 'The subject cannot be used for a Roles Anywhere certificate.', next: 'Write it as "CN=alice,OU=devops,O=Example,C=US": attributes CN, OU, O, C (two letters), L, ST or UID, commas between them, a backslash before a comma or plus inside a value.' },
  SAN_INVALID: { message: 'A subject alternative name is not valid.', next: 'Use dns:host.example.com or uri:spiffe://example.com/alice (one --san per name).', nextInWindow: 'Write each alternative name as dns:host.example.com or uri:spiffe://example.com/alice, one per line.' },
  CERTIFICATE_NAME_INVALID: { message: 'The name is not valid.', next: 'Use up to 64 letters, digits and . _ + @ - (starting with a letter or digit).' },
  CERTIFICATE_EXISTS: { message: 'A certificate request with this name exists already.', next: 'Choose another name, or remove the old one: `rolecall certificate remove NAME`.', nextInWindow: 'Choose another name: a key and certificate request of this name exist already.' },
  CERTIFICATE_NOT_FOUND: { message: 'There is no certificate request with this name.', next: 'Run `rolecall certificate list` to see them.', nextInWindow: 'It may have been removed from the command line: start the setup again to make a new key.' },
  CERTIFICATE_NOT_PENDING: { message: 'This certificate has been issued already.', next: 'Make a new request with `rolecall certificate new` for another certificate.', nextInWindow: 'This request has its certificate already: go on to the trust policy, or start again with another name.' },
  CERTIFICATE_NOT_ISSUED: { message: 'This certificate request has not been issued yet.', next: 'Have your CA sign its CSR (`rolecall certificate show NAME` prints it), then `rolecall certificate import NAME --certificate FILE`.', nextInWindow: 'Have your CA sign the request shown (copy or save it), then import the certificate it issued.' },
  ISSUED_KEY_MISMATCH: { message: 'The issued certificate is not for the key of this request.', next: 'Import the certificate your CA issued for this request\'s CSR (compare the public key fingerprints above), or import it under the request it was made for.' },
  CERT_NO_CLIENT_AUTH: { message: 'The certificate\'s extendedKeyUsage does not allow client authentication.', next: 'Have the CA issue it with extendedKeyUsage clientAuth (or with no extendedKeyUsage at all).' },
  CSR_INVALID: { message: 'The certificate request is damaged or its signature does not verify.', next: 'Remove it with `rolecall certificate remove NAME` and make a new one.', nextInWindow: 'Start the setup again with another name to make a new key and request.' },
  VALIDITY_INVALID: { message: 'The validity in days is not valid.', next: 'Give --days as a whole number from 1 to 3650 (a CA from 1 to 36500).', nextInWindow: 'Give the validity as a whole number of days from 1 to 3650 (a CA from 1 to 36500).' },
  CA_EXISTS: { message: 'A Rolecall CA with this name exists already.', next: 'Choose another name, or remove the old CA: `rolecall ca remove NAME`.', nextInWindow: 'Choose another name for the new CA, or choose the existing CA of this name.' },
  CA_NOT_FOUND: { message: 'There is no Rolecall CA with this name.', next: 'Run `rolecall ca list` to see your CAs, or make one with `rolecall ca create NAME --subject "CN=…"`.', nextInWindow: 'It may have been removed from the command line: choose another CA or create one.' },
  CA_EXPIRED: { message: 'The Rolecall CA\'s certificate has expired, so it cannot issue.', next: 'Make a new CA with `rolecall ca create` and trust it in Roles Anywhere.', nextInWindow: 'Create a new CA, and have Roles Anywhere trust it.' },
  RENEWAL_CA_MISSING: { message: 'The Rolecall CA that issued this certificate is not on this computer any more, so Rolecall cannot renew the certificate.', next: 'Make a new CA (`rolecall ca create CA --subject …`) and trust it in Roles Anywhere, issue a certificate from it (`rolecall certificate new NAME --subject …`, `rolecall ca issue CA --for NAME`), and make the profile from that (`rolecall profiles add PROFILE --from-certificate NAME …`).', nextInWindow: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.' },
  RENEWAL_CA_KEY_MISSING: { message: 'The key of the Rolecall CA that issued this certificate is missing from the keychain, so Rolecall cannot renew the certificate.', next: 'Make a new CA (`rolecall ca create CA --subject …`) and trust it in Roles Anywhere, issue a certificate from it (`rolecall certificate new NAME --subject …`, `rolecall ca issue CA --for NAME`), and make the profile from that (`rolecall profiles add PROFILE --from-certificate NAME …`).', nextInWindow: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.' },
  RENEWAL_CA_ENDING: { message: 'The Rolecall CA\'s certificate ends no later than this certificate does, so a renewal would gain nothing.', next: 'Make a new CA (`rolecall ca create CA --subject …`) and trust it in Roles Anywhere, issue a certificate from it (`rolecall certificate new NAME --subject …`, `rolecall ca issue CA --for NAME`), and make the profile from that (`rolecall profiles add PROFILE --from-certificate NAME …`).', nextInWindow: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.' },

  // Agent and sessions
  AGENT_UNAVAILABLE: { message: 'The Rolecall agent is not running and could not be started.', next: 'Run `rolecall agent` in a terminal to see why it does not start.' },
  AGENT_ALREADY_RUNNING: { message: 'A Rolecall agent is already running for this user.', next: 'Use the running one (the app or the background agent), or quit it first.' },
  AGENT_SOCKET_UNSAFE: { message: 'The agent\'s socket folder is not private to you, so Rolecall will not use it.', next: 'Remove that folder (it must belong to you with mode 0700; Rolecall creates it so), then try again.' },
  AGENT_CONNECTION_LOST: { message: 'The connection to the Rolecall agent was lost.', next: 'Try again; if it repeats, check the Rolecall log file.' },
  AGENT_INCOMPATIBLE: { message: 'The running Rolecall agent is a different version and cannot answer this request.', next: 'Quit the Rolecall app (or wait for the background agent to exit) so this version can start its own, then try again.' },
  LOGIN_SERVICE_UNSAFE: { message: 'A path or setting holds a line break or control character, which a login service file cannot carry, so nothing was installed.', next: 'Move Rolecall, node or the named folder to a path without such characters, then install the agent again.' },
  LOGIN_SERVICE_NOT_OURS: { message: 'A login service file that Rolecall did not write is in the way, so it was left as it is.', next: 'Look at the file named above: remove or rename it yourself if nothing needs it, then try again.' },
  LOGIN_SERVICE_FAILED: { message: 'The system did not take the agent\'s login service.', next: 'The detail names the command that failed and what it said; run it yourself once the problem is fixed, or uninstall the agent to remove what was written.' },
  AGENT_APP_ONLY: { message: 'This action is only available in the Rolecall app.', next: 'Open the Rolecall app to do it.' },
  UNTRUSTED_SENDER: { message: 'The request did not come from Rolecall\'s own window, so nothing was done.', next: 'Use the Rolecall window or the rolecall command.' },
  NOT_ACTIVE: { message: 'This profile has no session.', next: 'Activate it first: `rolecall activate NAME`.', nextInWindow: 'Switch the profile on first.' },
  SESSION_EXPIRED: { message: 'The session has expired and could not be renewed.', next: 'See the last error with `rolecall status`, fix it, then refresh.', nextInWindow: 'Fix the error shown on the profile\'s row, then refresh it.' },

  // Console sign-in (src/core/console)
  CONSOLE_DESTINATION_INVALID: { message: 'The console destination is not a page of the AWS console.', next: 'Give an https URL of the AWS console (https://console.aws.amazon.com/…) or a path such as /s3/home.' },
  BROWSER_UNAVAILABLE: { message: 'No web browser could be opened for the AWS console.', next: 'Run `rolecall console NAME --print` and open the URL it prints yourself (it signs in for 15 minutes: do not share it).', nextInWindow: 'Set a default web browser in your system settings, then try again.' },
  CONSOLE_SIGNIN_FAILED: { message: 'AWS sign-in did not give a console sign-in token for this session.', next: 'Refresh the profile and try again; the role must allow console access (its session must come from Roles Anywhere, not from chained roles).' },

  // Terminals, exec and the local credentials endpoint (src/core/terminal)
  EXEC_NOT_FOUND: { message: 'The command was not found on PATH.', next: 'Check its spelling, install it, or give its full path.' },
  EXEC_FAILED: { message: 'The command could not be started.', next: 'Check it is an executable file you may run (chmod +x); scripts need a #! line.' },
  ENV_VALUE_UNSAFE: { message: 'A value holds characters this shell cannot carry safely, so no commands were made.', next: 'Use `rolecall exec`, or another shell (bash, zsh, fish, PowerShell); real AWS credentials never hold such characters.', nextInWindow: 'Copy for another shell (bash, zsh, fish, PowerShell) from the menu beside the copy button; real AWS credentials never hold such characters.' },
  PORT_UNAVAILABLE: { message: 'Rolecall could not listen on the local port.', next: 'Another server may hold it (another `rolecall serve`, or aws_signing_helper serve on 9911): stop it or choose another port.' },

  INTERNAL: { message: 'Something unexpected went wrong inside Rolecall.', next: 'Try again; if it persists, report it with the log file (it holds no secrets).' },
} as const satisfies Record<string, ErrorText>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/**
 * The next step as the terminal or the window words it. `problem.next` is the terminal wording the
 * failure carries (it may name the real profile or command); the window replaces it where it has its own.
 */
export function nextStep(problem: { readonly code: ErrorCode; readonly next: string }, where: 'terminal' | 'window'): string {
  if (where === 'terminal') return problem.next;
  // An agent of another version may send a code this table lacks; its own wording then stands.
  const text: ErrorText | undefined = Object.hasOwn(ERRORS, problem.code) ? ERRORS[problem.code] : undefined;
  return text?.nextInWindow ?? problem.next;
}

/** An error as a value: what crosses the IPC bridge, the agent socket and the CLI's stderr. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly next: string;
  /** Specifics that help (a file name, the service's own message). Never a secret. */
  readonly detail?: string;
}

export class RolecallError extends Error {
  readonly code: ErrorCode;
  readonly next: string;
  readonly detail: string | undefined;

  /** `options.next` replaces the code's next step where the real names are known (a profile's, a command's). */
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; next?: string }) {
    super(ERRORS[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RolecallError';
    this.code = code;
    this.next = options?.next ?? ERRORS[code].next;
    this.detail = detail;
  }

  toInfo(): ErrorInfo {
    return this.detail === undefined
      ? { code: this.code, message: this.message, next: this.next }
      : { code: this.code, message: this.message, next: this.next, detail: this.detail };
  }
}

export function isRolecallError(error: unknown): error is RolecallError {
  return error instanceof RolecallError;
}

/** What a failure that is not a RolecallError becomes: a bug on our side, shown without its raw text. */
export const INTERNAL_ERROR: ErrorInfo = Object.freeze({ code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next });

/** Any thrown value as an ErrorInfo; unknown errors become INTERNAL without leaking their text. */
export function toErrorInfo(error: unknown): ErrorInfo {
  return isRolecallError(error) ? error.toInfo() : INTERNAL_ERROR;
}

/** One line for a terminal: "message detail — next". */
export function formatError(info: ErrorInfo): string {
  const detail = info.detail ? ` (${info.detail})` : '';
  return `${info.message}${detail} ${info.next}`;
}
