import Module from 'node:module';
import path from 'node:path';

/**
 * Jest maps the package's subpath imports (`#kernel`, `#persistence/...`) to the sources for test files, but its
 * globalSetup and globalTeardown are plain Node requires, for which package.json points them at `dist/`. This
 * resolves them to the TypeScript sources there too (Jest's transform compiles them), so `npm test` needs no build.
 */
const root = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const imports: Record<string, { types: string }> = require(path.join(root, 'package.json')).imports;
const patterns = Object.entries(imports).map(([key, target]) => {
  const [prefix, suffix = ''] = key.split('*');
  return { key, prefix, suffix, wildcard: key.includes('*'), target: target.types };
});

type Resolve = (request: string, ...rest: unknown[]) => string;
const internal = Module as unknown as { _resolveFilename: Resolve };
const original = internal._resolveFilename;
internal._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (request.startsWith('#')) {
    for (const p of patterns) {
      if (!p.wildcard && request === p.key) return original.call(this, path.join(root, p.target), ...rest);
      if (p.wildcard && request.startsWith(p.prefix) && request.endsWith(p.suffix)) {
        const middle = request.slice(p.prefix.length, request.length - p.suffix.length);
        return original.call(this, path.join(root, p.target.replace('*', middle)), ...rest);
      }
    }
  }
  return original.call(this, request, ...rest);
};
