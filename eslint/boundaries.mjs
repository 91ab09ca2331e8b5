import path from 'node:path';

/**
 * The architecture's dependency rules (ARCHITECTURE.md §1, STYLE.md rules 3-4) as one ESLint rule, judged on where
 * an import resolves to, not on how its path is spelled:
 * - `libs/` (the kernel) never imports `src/`;
 * - a context's `domain/` imports no framework (Nest, TypeORM, pg, express, class-validator) and nothing of ours
 *   but its own domain, `libs/kernel` and its context's published events and errors files;
 * - `application/` does not import `infrastructure/` or `http/`; `http/` does not import `infrastructure/` nor the
 *   persistence kernel (no TransactionRunner, EntityManager or entity in a controller);
 * - a context reaches another only through that context's published `<name>.events.ts` and `<name>.api.ts`.
 */
const FRAMEWORKS = /^(@nestjs\/|typeorm(\/|$)|pg(\/|$)|pg-listen$|express(\/|$)|class-validator$|class-transformer$)/;

/** `#kernel`, `#persistence/x`, `#migrations/x` -> a path under the project root, as package.json maps them. */
function resolveSubpath(spec) {
  const [, name, rest] = /^#([\w-]+)(?:\/(.*))?$/.exec(spec) ?? [];
  if (!name) return undefined;
  const base = name === 'migrations' ? 'migrations' : `libs/${name}`;
  return rest ? `${base}/${rest}` : `${base}/index`;
}

/** What a project file is: its top folder, and for a context file its context, layer and name. */
function classify(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'libs') return { area: 'libs', lib: parts[1] };
  if (parts[0] === 'src' && parts[1] === 'contexts' && parts.length >= 4) {
    const layered = parts.length >= 5;
    return { area: 'context', context: parts[2], layer: layered ? parts[3] : undefined, file: parts.at(-1).replace(/\.ts$/, '') };
  }
  return { area: parts[0] };
}

function violation(from, to, spec) {
  if (from.area === 'libs' && to?.area === 'src') return 'the kernel (libs/) must not import src/';
  if (from.area !== 'context') return undefined;
  if (from.layer === 'domain') {
    if (!to && FRAMEWORKS.test(spec)) return `a domain file must not import ${spec}: the domain is plain TypeScript`;
    if (to) {
      const own = to.area === 'context' && to.context === from.context;
      const allowed =
        (to.area === 'libs' && to.lib === 'kernel') ||
        (own && to.layer === 'domain') ||
        (own && to.layer === undefined && (to.file === `${from.context}.events` || to.file === `${from.context}.errors`));
      if (!allowed && (to.area === 'libs' || own))
        return `a domain file may import only its domain, libs/kernel and its context's events and errors (not ${spec})`;
    }
  }
  if (to?.area === 'context' && to.context === from.context) {
    if (from.layer === 'application' && (to.layer === 'infrastructure' || to.layer === 'http'))
      return `application/ must not import ${to.layer}/ (${spec}): depend on a port and let infrastructure implement it`;
    if (from.layer === 'http' && to.layer === 'infrastructure')
      return `http/ must not import infrastructure/ (${spec}): controllers dispatch commands and queries`;
  }
  if (from.layer === 'http' && (to?.area === 'libs' ? to.lib === 'persistence' : /^typeorm(\/|$)/.test(spec)))
    return `http/ must not use the database (${spec}): put reads in a query handler, writes in a command handler`;
  if (
    to?.area === 'context' &&
    to.context !== from.context &&
    !(to.layer === undefined && (to.file === `${to.context}.events` || to.file === `${to.context}.api`))
  )
    return `context ${from.context} may use context ${to.context} only through ${to.context}.events.ts and ${to.context}.api.ts (not ${spec})`;
  return undefined;
}

export const boundaries = {
  meta: { type: 'problem', docs: { description: 'Dependency rules between the kernel, contexts and their layers' }, schema: [] },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = classify(file);
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let target;
      if (spec.startsWith('.'))
        target = path
          .relative(root, path.resolve(path.dirname(context.filename), spec))
          .split(path.sep)
          .join('/');
      else if (spec.startsWith('#')) target = resolveSubpath(spec);
      const message = violation(from, target === undefined ? undefined : classify(target), spec);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
