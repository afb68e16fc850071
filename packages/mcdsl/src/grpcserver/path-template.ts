import { InvalidRequestError } from '../errors/index.js';

/** PathTemplate is a google.api.http path template compiled to a fastify route. */
export interface PathTemplate {
  /** the route as fastify writes it, e.g. `/v1/accounts/:id/roles/:role` */
  readonly route: string;
  /** for each route parameter, the dotted proto field path it fills, e.g. `note.author` */
  readonly variables: ReadonlyArray<{ readonly param: string; readonly fieldPath: string }>;
}

/**
 * compilePathTemplate turns `/v1/echo/{id}`, `/v1/a/{note.author}` or `/v1/files/{path=**}` into a
 * fastify route. It supports what our APIs use: whole-segment variables (optionally `=*`), one
 * trailing `=**` variable, and a `:verb` suffix. Anything else is refused at startup, so an
 * annotation the transcoder cannot honour never silently serves the wrong path.
 */
export function compilePathTemplate(template: string): PathTemplate {
  if (!template.startsWith('/')) throw new InvalidRequestError(`http path "${template}" must start with "/"`);
  let verb = '';
  let path = template;
  const verbMatch = /:([A-Za-z][\w-]*)$/.exec(template);
  if (verbMatch && !template.endsWith('}')) {
    verb = verbMatch[1] ?? '';
    path = template.slice(0, -verbMatch[0].length);
  }
  const segments = path.slice(1).split('/');
  const variables: Array<{ param: string; fieldPath: string }> = [];
  const out = segments.map((segment, index) => {
    const variable = /^\{([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)(?:=(\*\*?))?\}$/.exec(segment);
    if (!variable) {
      if (/[{}:*]/.test(segment)) throw new InvalidRequestError(`http path "${template}": segment "${segment}" is not supported`);
      return segment;
    }
    const fieldPath = variable[1] ?? '';
    if (variable[2] === '**') {
      if (index !== segments.length - 1 || verb) {
        throw new InvalidRequestError(`http path "${template}": "**" is only supported in the last segment`);
      }
      variables.push({ param: '*', fieldPath });
      return '*';
    }
    const param = fieldPath.replace(/\./g, '_');
    variables.push({ param, fieldPath });
    // Before a `:verb` the variable must stop at the colon: fastify would otherwise read the
    // whole "id::verb" as the parameter's name and never fill `id`.
    return verb && index === segments.length - 1 ? `:${param}(^[^/:]+)` : `:${param}`;
  });
  // fastify reads ":" as the start of a parameter; "::" is its escape for a literal colon.
  const route = '/' + out.join('/') + (verb ? `::${verb}` : '');
  return { route, variables };
}
