/**
 * The few `Reflect` metadata functions that tsyringe (a dependency of @peculiar/x509 2.x) checks for and
 * calls. @peculiar/x509 2.x throws at load time without a Reflect polyfill (saml-security.md §2 T1), and the
 * project does not depend on `reflect-metadata`, so this installs a minimal one: a WeakMap from target to
 * (property → key → value), with the prototype-chain lookup of `getMetadata`. It does nothing when a polyfill
 * is already installed, so a real `reflect-metadata` loaded later or earlier wins. (The simulator has its own
 * copy: sim never imports src, src never imports sim.)
 */

type MetadataMap = Map<unknown, unknown>;

interface ReflectMetadataApi {
  defineMetadata(key: unknown, value: unknown, target: object, property?: string | symbol): void;
  getOwnMetadata(key: unknown, target: object, property?: string | symbol): unknown;
  getMetadata(key: unknown, target: object, property?: string | symbol): unknown;
  hasOwnMetadata(key: unknown, target: object, property?: string | symbol): boolean;
  hasMetadata(key: unknown, target: object, property?: string | symbol): boolean;
  metadata(key: unknown, value: unknown): (target: object, property?: string | symbol) => void;
}

/** Installs the shim on the global `Reflect` unless `Reflect.getMetadata` already exists. Idempotent. */
export function installReflectMetadataShim(): void {
  const reflect = Reflect as unknown as Partial<ReflectMetadataApi>;
  if (typeof reflect.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<string | symbol | undefined, MetadataMap>>();
  const own = (target: object, property: string | symbol | undefined, create: boolean): MetadataMap | undefined => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let map = byProperty.get(property);
    if (!map && create) {
      map = new Map();
      byProperty.set(property, map);
    }
    return map;
  };
  const api: ReflectMetadataApi = {
    defineMetadata: (key, value, target, property) => void own(target, property, true)?.set(key, value),
    getOwnMetadata: (key, target, property) => own(target, property, false)?.get(key),
    hasOwnMetadata: (key, target, property) => own(target, property, false)?.has(key) ?? false,
    getMetadata(key, target, property) {
      for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
        const map = own(t, property, false);
        if (map?.has(key)) return map.get(key);
      }
      return undefined;
    },
    hasMetadata(key, target, property) {
      for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) if (own(t, property, false)?.has(key)) return true;
      return false;
    },
    metadata: (key, value) => (target, property) => api.defineMetadata(key, value, target, property),
  };
  Object.assign(Reflect, api);
}
