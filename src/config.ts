/** Configuration from the environment, exactly as CONTRACT.md lists it. Parsed once at start. */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  publicUrl: string;
  adminKey: string | undefined;
  secretKey: string | undefined;
  logLevel: string;
  /** largest request body accepted on any route, in bytes */
  bodyLimit: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const portText = env.PORT || '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got "${portText}")`);
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL (got "${publicUrl}")`);
  }
  const bodyLimitText = env.GATEHOUSE_BODY_LIMIT || String(1024 * 1024);
  const bodyLimit = Number(bodyLimitText);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('GATEHOUSE_BODY_LIMIT must be a whole number of bytes ≥ 1024');
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/gatehouse.db',
    publicUrl,
    adminKey: env.GATEHOUSE_ADMIN_KEY || undefined,
    secretKey: env.GATEHOUSE_SECRET_KEY || undefined,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    bodyLimit,
  };
}
