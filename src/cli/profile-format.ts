// How the CLI shows profiles: one line each for tables, and a detailed block for `profiles show`.
import { timeLeftText } from '../shared/countdown';
import type { ProfileView } from '../shared/model';
import type { TerminalOutput } from './output';

/** The last path segment of an ARN: the trust anchor/profile id or the role name. */
export function shortArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function paintStatus(out: TerminalOutput, view: ProfileView): string {
  switch (view.status) {
    case 'active':
      return out.green(view.status);
    case 'failed':
    case 'expired':
      return out.red(view.status);
    case 'inactive':
      return out.dim(view.status);
    default:
      return out.yellow(view.status);
  }
}

export function profileTable(views: readonly ProfileView[], now: number, out: TerminalOutput): string {
  if (views.length === 0) return 'No profiles yet. Add one with `rolecall profiles add`, or import with `rolecall import`.\n';
  const rows = views.map((view) => [view.name, view.status, timeLeftText(view.expiresAt, now), view.delivery, shortArn(view.roleArn), view.signingRegion, problemOf(view)] as const);
  const headers = ['NAME', 'STATUS', 'LEFT', 'DELIVERY', 'ROLE', 'REGION', ''] as const;
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[], paint?: (cell: string, column: number) => string) =>
    cells.map((cell, column) => (paint ? paint(cell, column) : cell) + ' '.repeat(Math.max(0, (widths[column] ?? 0) - cell.length))).join('  ').trimEnd();
  return [
    out.bold(line(headers)),
    ...rows.map((row, index) => line(row, (cell, column) => (column === 1 ? paintStatus(out, views[index] as ProfileView) : column === 6 ? out.yellow(cell) : cell))),
  ].join('\n') + '\n';
}

function problemOf(view: ProfileView): string {
  if (view.lastError) return `${view.lastError.message}${view.nextRefreshAt ? ' (retrying)' : ''}`;
  if (view.certificateState === 'expired') return 'certificate expired';
  if (view.certificateState === 'expiring') return `certificate expires in ${view.certificateDaysLeft} days`;
  return '';
}

export function profileDetails(view: ProfileView, now: number, out: TerminalOutput): string {
  const rows: [string, string | undefined][] = [
    ['Status', `${paintStatus(out, view)}${view.expiresAt ? `, ${timeLeftText(view.expiresAt, now)} left (until ${view.expiresAt})` : ''}`],
    ['Session', view.accessKeyIdMasked],
    ['Next refresh', view.nextRefreshAt],
    ['Last error', view.lastError ? `${view.lastError.message}${view.lastError.detail ? ` (${view.lastError.detail})` : ''} — ${view.lastError.next}` : undefined],
    // Names picked in the app's editor are shown with the ARNs they were picked for.
    ['Trust anchor', view.names?.trustAnchor ? `${view.names.trustAnchor} (${view.trustAnchorArn})` : view.trustAnchorArn],
    ['Profile', view.names?.profile ? `${view.names.profile} (${view.profileArn})` : view.profileArn],
    ['Role', view.roleArn],
    ['Signing region', view.signingRegion],
    ['Tool region', view.toolRegion],
    ['Duration', `${view.durationSeconds} s`],
    ['Session name', view.roleSessionName],
    ['Auto-refresh', view.autoRefresh ? 'on' : 'off'],
    ['Delivery', `${view.delivery} → ${view.deliveredTo}`],
    ['Endpoint', view.endpoint],
    ['Private key', view.token ? `on a PKCS#11 token: ${view.token.uri}${view.token.module ? ` (module ${view.token.module})` : ''}${view.token.pinInKeychain ? ', its PIN in the OS keychain' : ''}` : view.keyStorage === 'keychain' ? 'in the OS keychain' : `in ${view.keyPath ?? 'a file'}`],
    ['Certificate', `${view.certificate.subject} (${view.certificate.keyAlgorithm}), valid until ${view.certificate.notAfter} — ${view.certificateState}`],
    ['Issuer', view.certificate.issuer],
    ['Serial', view.certificate.serialHex],
  ];
  const lines = [out.bold(view.name)];
  for (const [label, value] of rows) if (value) lines.push(`  ${label.padEnd(15)} ${value}`);
  const tags = Object.entries(view.certificate.principalTags);
  if (tags.length > 0) {
    lines.push('  Principal tags');
    for (const [key, value] of tags) lines.push(`    ${key.padEnd(18)} ${value}`);
  }
  return lines.join('\n') + '\n';
}
