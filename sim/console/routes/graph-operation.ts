import type { EdgeAttributes } from '../../tenant/graph.js';
import { isObjectId } from '../../tenant/object-id.js';
import { ConsoleError } from '../errors.js';

/** A graph mutation body (GraphOperation): `{op, type, id, attributes?}`. */
export interface GraphOperation {
  op: 'add' | 'remove' | 'update';
  type: string;
  id: string;
  attributes: EdgeAttributes;
}

/** Validates a GraphOperation body; `types` are the target types the endpoint accepts. */
export function graphOperation(body: unknown, types: readonly string[]): GraphOperation {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ConsoleError(400, 'the body must be a JSON object');
  const { op, type, id, attributes } = body as Record<string, unknown>;
  if (op !== 'add' && op !== 'remove' && op !== 'update') throw new ConsoleError(400, 'op must be one of add, remove, update');
  if (typeof type !== 'string' || !types.includes(type)) throw new ConsoleError(400, `type must be one of ${types.join(', ')}`);
  if (!isObjectId(id)) throw new ConsoleError(400, 'id must be an ObjectID');
  if (attributes !== undefined && attributes !== null && (typeof attributes !== 'object' || Array.isArray(attributes))) throw new ConsoleError(400, 'attributes must be an object');
  return { op, type, id, attributes: (attributes as EdgeAttributes) ?? null };
}
