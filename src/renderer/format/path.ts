/** The last part of a path, on any OS ("alice.p12" from "/home/alice/certs/alice.p12" or "C:\certs\alice.p12"). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
