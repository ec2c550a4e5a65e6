import type { AccessPath, EffectiveUser } from '../../tenant/access.js';
import type { EdgeAttributes } from '../../tenant/graph.js';

/**
 * A direct association (GraphConnection) as `…/associations?targets=` returns it. As in the recorded
 * traversals, the edge's attributes appear on `to.attributes`, the outer `attributes` is null and `from`
 * is omitted ("From can be omitted if it is clear from context", spec).
 */
export function presentConnection(type: string, id: string, attributes: EdgeAttributes): Record<string, unknown> {
  return { attributes: null, to: { attributes: attributes === null ? null : structuredClone(attributes), id, type } };
}

/** Merges the attributes met along paths (later keys win); null when none (as in a third-party fixture). */
export function compileAttributes(attributeSets: EdgeAttributes[]): Record<string, unknown> | null {
  const present = attributeSets.filter((a): a is Record<string, unknown> => a !== null && Object.keys(a).length > 0);
  if (present.length === 0) return null;
  return Object.assign({}, ...present.map((a) => structuredClone(a))) as Record<string, unknown>;
}

/** A GraphObjectWithPaths in the recorded key order: id, type, compiledAttributes, paths. */
export function presentObjectWithPaths(type: string, id: string, paths: Record<string, unknown>[][], attributeSets: EdgeAttributes[]): Record<string, unknown> {
  return { id, type, compiledAttributes: compileAttributes(attributeSets), paths };
}

/**
 * A user reached through an application: one path per way (through a bound group: two hops, group then
 * user; bound directly: one hop). The binding's attributes sit on the first hop's `to.attributes`.
 */
export function presentAppUser(entry: EffectiveUser): Record<string, unknown> {
  const paths = entry.paths.map((p: AccessPath) =>
    p.via === 'user_group'
      ? [presentConnection('user_group', p.groupId, p.attributes), presentConnection('user', entry.userId, null)]
      : [presentConnection('user', entry.userId, p.attributes)],
  );
  return presentObjectWithPaths('user', entry.userId, paths, entry.paths.map((p) => p.attributes));
}
