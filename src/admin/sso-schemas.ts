/** JSON schemas shared by the SSO connection and certificate routes (one description of each object). */

const str = { type: 'string' } as const;

/** A trusted (or pending, or removed) IdP signing certificate of a connection. */
export const idpCertificateSchema = {
  type: 'object',
  properties: {
    id: str,
    fingerprintSha256: str,
    notBefore: str,
    notAfter: str,
    state: {
      type: 'string',
      enum: ['pending', 'active', 'retiring', 'removed'],
      description: 'active and retiring certificates verify signatures; pending ones await an admin; removed ones are kept for the record',
    },
    source: { type: 'string', enum: ['metadata', 'metadata_url', 'manual'] },
    certificate: { type: 'string', description: 'PEM' },
    createdAt: str,
    updatedAt: str,
  },
} as const;

/** An SP signing key of a connection (its certificate; the private key is never shown). */
export const spKeySchema = {
  type: 'object',
  properties: {
    id: str,
    fingerprintSha256: str,
    notAfter: str,
    state: { type: 'string', enum: ['next', 'active', 'retiring'], description: 'every key is published in the SP metadata; only the active one signs AuthnRequests' },
    certificate: { type: 'string', description: 'PEM (the private key is never shown)' },
    createdAt: str,
  },
} as const;
