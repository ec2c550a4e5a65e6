import { generateSecret, hashSecret, secretMatches } from './secrets.js';
import type { Store } from '../store/store.js';

const SETTING = 'admin_key_hash';

/**
 * The admin API key: GATEHOUSE_ADMIN_KEY when set, else one generated on the first start and stored
 * only as a hash. `generated` is set exactly once, on the start that created it, so it can be printed.
 */
export class AdminKey {
  private constructor(private readonly hash: string) {}

  static async load(store: Store, configured: string | undefined): Promise<{ key: AdminKey; generated?: string }> {
    if (configured !== undefined) return { key: new AdminKey(hashSecret(configured)) };
    const candidate = generateSecret('gha_');
    const stored = await store.settings.setIfAbsent(SETTING, hashSecret(candidate));
    const key = new AdminKey(stored);
    return stored === hashSecret(candidate) ? { key, generated: candidate } : { key };
  }

  matches(presented: string): boolean {
    return presented.length <= 256 && secretMatches(presented, this.hash);
  }
}
