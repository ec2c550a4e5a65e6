import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifySchema } from 'fastify';

/**
 * Route validation with two Ajv instances: query strings, params and headers are text on the wire, so
 * they are coerced to the schema's types (`limit=5` → 5); JSON bodies are not coerced, so `"name": 42`
 * is a 400, not the string "42".
 */
export function registerValidators(app: FastifyInstance): void {
  const common = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const coercing = new Ajv({ ...common, coerceTypes: 'array' });
  const exact = new Ajv({ ...common, coerceTypes: false });
  const cache = new WeakMap<object, ValidateFunction>();
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? exact : coercing;
    const key = schema as object;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile(schema as FastifySchema);
      cache.set(key, validate);
    }
    return validate as (data: unknown) => boolean;
  });
}
