// Regions that disagree, said before the first CreateSession fails: trust anchors and profiles live in
// one region, and Roles Anywhere in another region neither knows them nor accepts a request signed for
// a third. A loopback or private endpoint without a region in its name is not judged.
import { parseRolesAnywhereArn } from './arn';

export interface RegionSettings {
  readonly trustAnchorArn: string;
  /** --region: the region requests are signed for; the ARNs' when absent. */
  readonly signingRegion?: string | undefined;
  readonly endpoint?: string | undefined;
}

// rolesanywhere[-fips].REGION.amazonaws.com[.cn], and VPC endpoints' …rolesanywhere.REGION.vpce.amazonaws.com.
const REGIONAL_HOST = /(?:^|\.)rolesanywhere(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/;

/** One sentence per disagreement between the ARNs' region, the signing region and the endpoint's region. */
export function regionMismatches(settings: RegionSettings): string[] {
  let arnRegion: string;
  try {
    arnRegion = parseRolesAnywhereArn(settings.trustAnchorArn, 'trust-anchor').region;
  } catch {
    // ARN_INVALID is the profile's own error, raised where the profile is checked.
    return [];
  }
  const signing = settings.signingRegion ?? arnRegion;
  const warnings: string[] = [];
  if (signing !== arnRegion) {
    warnings.push(`Requests are signed for ${signing} (--region), but the trust anchor and profile are in ${arnRegion}: Roles Anywhere will refuse every session. Leave --region out to sign for ${arnRegion}.`);
  }
  const endpointRegion = regionOfEndpoint(settings.endpoint);
  if (endpointRegion !== undefined && endpointRegion !== signing) {
    warnings.push(`The endpoint is Roles Anywhere in ${endpointRegion}, but requests are signed for ${signing}${signing === arnRegion ? ' (the ARNs\' region)' : ''}: it will refuse them. Use the endpoint of ${arnRegion}, or leave --endpoint out.`);
  } else if (endpointRegion !== undefined && endpointRegion !== arnRegion) {
    warnings.push(`The endpoint is Roles Anywhere in ${endpointRegion}, which does not know a trust anchor in ${arnRegion}. Use the endpoint of ${arnRegion}, or leave --endpoint out.`);
  }
  return warnings;
}

function regionOfEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  let host: string;
  try {
    host = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return REGIONAL_HOST.exec(host)?.[1];
}
