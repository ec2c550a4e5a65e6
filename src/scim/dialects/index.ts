import { DomainError } from '../../core/errors.js';
import { entraDialect } from './entra.js';
import { genericDialect } from './generic.js';
import { jumpcloudDialect } from './jumpcloud.js';
import { oktaDialect } from './okta.js';
import type { DirectorySettings, ProviderDialect, TestConnectionSettings } from './settings.js';

export type { DirectorySettings, ProviderDialect, TestConnectionSettings } from './settings.js';

/** What a directory stores: only the settings it overrides (`testConnection` key by key). */
export type SettingsOverrides = Partial<Omit<DirectorySettings, 'testConnection'>> & { testConnection?: Partial<TestConnectionSettings> };

const DIALECTS: Record<ProviderDialect['provider'], ProviderDialect> = {
  jumpcloud: jumpcloudDialect,
  okta: oktaDialect,
  entra: entraDialect,
  generic: genericDialect,
};

export function dialectOf(provider: string): ProviderDialect {
  return DIALECTS[provider as ProviderDialect['provider']] ?? genericDialect;
}

/** The dialect's defaults with the directory's overrides on top. */
export function effectiveSettings(provider: string, overrides: SettingsOverrides | null | undefined): DirectorySettings {
  const defaults = dialectOf(provider).defaults;
  const { testConnection, ...rest } = overrides ?? {};
  return { ...defaults, ...rest, testConnection: { ...defaults.testConnection, ...testConnection, userNames: [...(testConnection?.userNames ?? defaults.testConnection.userNames)] } };
}

const CHOICES: { [K in Exclude<keyof DirectorySettings, 'testConnection'>]: readonly DirectorySettings[K][] } = {
  userDelete: ['soft', 'hard'],
  onSuspend: ['deactivate', 'deactivate-and-remove-memberships'],
  orphanedMembers: ['deactivate', 'keep'],
  groupNameConflict: ['takeover', 'conflict'],
  unmatchedFilter: ['create', 'noTarget'],
};

export const MAX_TEST_USER_NAMES = 20;
export const MAX_TEST_WINDOW_SECONDS = 3600;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a settings change to the stored overrides: each given key replaces the override, `null` drops it
 * (back to the dialect's default); `testConnection` merges key by key. Anything unknown or out of range is
 * a DomainError 'invalid' naming the setting, and nothing is applied.
 */
export function mergeSettings(current: SettingsOverrides | null | undefined, change: unknown): SettingsOverrides {
  if (!isRecord(change)) throw new DomainError('invalid', 'settings must be an object');
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(change)) {
    if (key === 'testConnection') {
      if (value === null) {
        delete next.testConnection;
        continue;
      }
      next.testConnection = mergeTestConnection(current?.testConnection, value);
      continue;
    }
    if (!Object.hasOwn(CHOICES, key)) throw new DomainError('invalid', `settings.${key.slice(0, 60)} is not a setting`);
    const choices = CHOICES[key as keyof typeof CHOICES] as readonly string[];
    if (value === null) delete next[key];
    else if (typeof value === 'string' && choices.includes(value)) next[key] = value;
    else throw new DomainError('invalid', `settings.${key} must be one of ${choices.join(', ')} (or null for the default)`);
  }
  return next as SettingsOverrides;
}

function mergeTestConnection(current: Partial<TestConnectionSettings> | undefined, change: unknown): Partial<TestConnectionSettings> {
  if (!isRecord(change)) throw new DomainError('invalid', 'settings.testConnection must be an object');
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) {
      if (!['purge', 'userNames', 'windowSeconds'].includes(key)) throw new DomainError('invalid', `settings.testConnection.${key.slice(0, 60)} is not a setting`);
      delete next[key];
    } else if (key === 'purge') {
      if (typeof value !== 'boolean') throw new DomainError('invalid', 'settings.testConnection.purge must be a boolean');
      next.purge = value;
    } else if (key === 'windowSeconds') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_TEST_WINDOW_SECONDS) {
        throw new DomainError('invalid', `settings.testConnection.windowSeconds must be an integer from 0 to ${MAX_TEST_WINDOW_SECONDS}`);
      }
      next.windowSeconds = value;
    } else if (key === 'userNames') {
      if (!Array.isArray(value) || value.length > MAX_TEST_USER_NAMES) {
        throw new DomainError('invalid', `settings.testConnection.userNames must be an array of at most ${MAX_TEST_USER_NAMES} userNames`);
      }
      const names = value.map((name) => {
        if (typeof name !== 'string' || name.trim() === '' || name.length > 256) {
          throw new DomainError('invalid', 'settings.testConnection.userNames must hold strings of 1 to 256 characters');
        }
        return name.trim();
      });
      next.userNames = [...new Set(names)];
    } else {
      throw new DomainError('invalid', `settings.testConnection.${key.slice(0, 60)} is not a setting`);
    }
  }
  return next as Partial<TestConnectionSettings>;
}
