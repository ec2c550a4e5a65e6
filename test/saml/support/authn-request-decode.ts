import { inflateRawSync } from 'node:zlib';

/** The ID of an HTTP-Redirect AuthnRequest (base64 of raw DEFLATE). */
export function decodeRedirectRequest(samlRequest: string): string {
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error(`no ID in the AuthnRequest: ${xml.slice(0, 200)}`);
  return id;
}
